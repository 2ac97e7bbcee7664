/**
 * The MNIST classifier with a reconstruction decoder (docs/experiments.md, "The MNIST experiment"): a two-output DL4J
 * ComputationGraph and its SameDiff twin with the same parameters, used for training with SameDiff objectives.
 */
package dev.constrained4j.models.mnist;
