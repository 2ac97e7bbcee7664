/**
 * The group-fairness experiment ({@code docs/fairness.md}): a classifier of tabular data trained with Adam alone,
 * SSL-ALM, the switching subgradient, the sequential penalty and the augmented Lagrangian on the same group
 * positive-rate constraints, over several seeds.
 */
package dev.constrained4j.runners.fairness;
