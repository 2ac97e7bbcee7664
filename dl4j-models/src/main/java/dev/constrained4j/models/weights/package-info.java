/**
 * The image classifiers of seed 002's weight-constraint experiments (the CNN for 28×28 grey images, VGG11 and
 * ResNet13 for 32×32×3) as DL4J ComputationGraphs, and {@link dev.constrained4j.models.weights.GraphClassifier},
 * which gives a constrained optimiser the mean cross-entropy, its gradient and live parameter views.
 */
package dev.constrained4j.models.weights;
