/**
 * The data-parallel mode of the MNIST experiment on Apache Spark ({@code mnist --spark MASTER}, docs/scale-out.md):
 * the training set as an RDD of shards whose multipliers λ_i stay beside them on the executors, model replicas
 * trained there by the project's own minibatch loop and averaged on the driver every k steps, exact aggregation of
 * the per-sample metrics.
 */
package dev.constrained4j.runners.spark;
