/**
 * The HiDDeN watermarking experiment (baseline and PSNR-constrained models on real grey images; docs/experiments.md,
 * "The HiDDeN experiment"), driven by the shared {@link dev.constrained4j.runners.engine.ConstrainedTrainer}:
 * configuration, task, outputs.
 */
package dev.constrained4j.runners.hidden;
