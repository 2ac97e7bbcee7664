/**
 * The live training UI: DL4J's training pages and a page of the constrained quantities (τ or λ, mean
 * violation, fraction satisfied), served by one Vert.x server bound to a chosen host (loopback by default;
 * any other host requires a secret token on every request, {@link dev.constrained4j.runners.ui.UiAccess}),
 * and the replay of a saved stats file. See {@code docs/ui.md}.
 */
package dev.constrained4j.runners.ui;
