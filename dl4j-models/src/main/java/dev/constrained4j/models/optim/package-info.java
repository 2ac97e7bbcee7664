/** The optimiser of the project's fused engines: Adam with PyTorch's semantics, state for checkpoints. */
package dev.constrained4j.models.optim;
