/**
 * The downstream check of the HiDDeN experiment (docs/experiments.md, "The HiDDeN experiment"): a small CNN classifier
 * trained on clean images and evaluated (accuracy, one-vs-rest ROC AUC) on clean and on watermarked images.
 */
package dev.constrained4j.models.downstream;
