/**
 * The contract every constrained method plugs into ({@link dev.constrained4j.losses.method.ConstrainedMethod}),
 * its batch of per-sample values, its serialisable state and per-sample multiplier stores, and the methods
 * themselves: plain, fixed and sequential penalty, per-sample augmented Lagrangian. Equations: {@code docs/methods.md}.
 */
package dev.constrained4j.losses.method;
