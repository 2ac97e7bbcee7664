/**
 * The report of a weight-constraint run ({@code "kind": "weights"}, seed 002's Table 1): per dataset
 * and constraint set, each method's CV(−1), CV_{p=2} and accuracy over its seeds and settings, with
 * the published figures beside them, and per-epoch curves of each method.
 */
package dev.constrained4j.reports.weights;
