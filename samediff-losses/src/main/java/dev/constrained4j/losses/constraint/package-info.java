/**
 * Per-sample constraints {@code c(w; x_i) <= B}: the one contract that every constrained-training method
 * (sequential penalty, augmented Lagrangian, switching subgradient) consumes.
 */
package dev.constrained4j.losses.constraint;
