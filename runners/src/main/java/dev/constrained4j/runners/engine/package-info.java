/**
 * The one training loop of the project: epochs, coefficient schedules, evaluation, best-weights selection,
 * divergence checks, checkpoints and resume. Experiments plug in through {@link dev.constrained4j.runners.engine.TrainingTask}.
 */
package dev.constrained4j.runners.engine;
