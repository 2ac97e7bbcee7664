/**
 * The loss terms of the HiDDeN watermarking experiment (docs/experiments.md, "The HiDDeN experiment"): image and
 * message MSE, BCE-with-logits for the adversarial terms, and the per-image PSNR penalty, all from basic SameDiff ops.
 */
package dev.constrained4j.losses.hidden;
