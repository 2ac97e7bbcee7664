/**
 * The report of a group-fairness run ({@code "kind": "fairness"}): several methods, each trained with
 * several seeds, aggregated into a final per-method table and per-epoch curves of the groups' gaps.
 */
package dev.constrained4j.reports.fairness;
