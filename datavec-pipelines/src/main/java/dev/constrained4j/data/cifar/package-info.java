/**
 * CIFAR-10 and CIFAR-100 in their binary distribution formats ({@code cifar-10-binary.tar.gz},
 * {@code cifar-100-binary.tar.gz}, extracted): reader, per-channel normalisation statistics.
 */
package dev.constrained4j.data.cifar;
