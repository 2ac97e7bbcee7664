/**
 * The live training UI: DL4J's training pages and a page of the constrained quantities (τ or λ, mean
 * violation, fraction satisfied), served by one Vert.x server bound to a chosen host (loopback by default),
 * and the replay of a saved stats file. See {@code docs/ui.md}.
 */
package dev.constrained4j.runners.ui;
