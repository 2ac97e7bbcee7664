/**
 * A fused engine of seed 002's CNN ({@link dev.constrained4j.models.weights.WeightsCnn}): the forward and backward
 * passes written by hand in Java vector loops and ND4J GEMMs, with the parameters, names and layouts of the
 * ComputationGraph that {@link dev.constrained4j.models.weights.GraphClassifier} trains; tests hold it to that graph.
 */
package dev.constrained4j.models.weights.fast;
