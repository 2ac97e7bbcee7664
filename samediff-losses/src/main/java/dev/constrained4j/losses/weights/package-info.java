/**
 * Constraints on the weights of a network (seed 002 §4.2: L1 and L2 norms, orthogonality, non-negativity), one
 * parameter array at a time, and the set of them that gives the violation vector {@code C(θ)} and the CV metrics of
 * seed 002 §4.3; {@code docs/weight-constraints.md} has the definitions.
 */
package dev.constrained4j.losses.weights;
