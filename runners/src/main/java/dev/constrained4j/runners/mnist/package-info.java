/**
 * The MNIST experiment (docs/experiments.md, "The MNIST experiment"): a classifier whose hidden code must let a decoder
 * reconstruct each image, trained plain, with a fixed penalty, or with the sequential penalty method.
 */
package dev.constrained4j.runners.mnist;
