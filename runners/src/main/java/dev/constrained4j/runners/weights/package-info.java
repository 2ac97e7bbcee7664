/**
 * The weight-constraint experiment ({@code docs/weight-constraints.md}): a CNN trained on MNIST and Fashion-MNIST
 * under norm, orthogonality and non-negativity constraints on its weights, by the fixed penalty, SAL and stochastic
 * ADMM, over seeds and hyper-parameter settings, as seed 002's tables.
 */
package dev.constrained4j.runners.weights;
