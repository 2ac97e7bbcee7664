/**
 * The HiDDeN watermarking networks (docs/experiments.md, "The HiDDeN experiment"): encoder, decoder and discriminator
 * as DL4J ComputationGraphs and as SameDiff twins with equal parameters, and the training system with its two Adam
 * optimizers; its fused engine lives in {@code .fast}.
 */
package dev.constrained4j.models.hidden;
