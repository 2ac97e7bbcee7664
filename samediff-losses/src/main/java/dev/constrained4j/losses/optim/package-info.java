/**
 * Constrained optimisers with the shape of a PyTorch optimiser, {@code step()} for the primal update and
 * {@code dualStep()} for the dual one, for constraints that are expectations over the data (SSL-ALM, the stochastic
 * switching subgradient); {@code docs/methods.md} has their equations.
 */
package dev.constrained4j.losses.optim;
