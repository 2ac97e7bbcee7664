/**
 * The HiDDeN watermarking experiment of SPEC §4 (baseline and PSNR-constrained models on real grey images),
 * driven by the shared {@link dev.constrained4j.runners.engine.ConstrainedTrainer}: configuration, task, outputs.
 */
package dev.constrained4j.runners.hidden;
