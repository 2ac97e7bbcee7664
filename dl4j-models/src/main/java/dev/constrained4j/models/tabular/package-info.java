/**
 * Networks for tabular data: a multilayer perceptron with a hand-written forward and backward pass, and the binary
 * classifier under group constraints built on it ({@code docs/fairness.md}).
 */
package dev.constrained4j.models.tabular;
