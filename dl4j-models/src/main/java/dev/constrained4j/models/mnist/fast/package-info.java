/**
 * A fused forward/backward pass and Adam step of the fixed MNIST MLP (docs/experiments.md, "The MNIST experiment") in
 * preallocated ND4J arrays: the fast engine of the MNIST runner, tested against the SameDiff objective of
 * {@code samediff-losses}.
 */
package dev.constrained4j.runners.mnist.fast;
