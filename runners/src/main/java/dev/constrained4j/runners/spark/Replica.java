package dev.constrained4j.runners.spark;

import java.io.Serializable;

/**
 * What one partition's replica sends to the driver after a round of at most k local steps: its weights and Adam's
 * state, how many samples and steps it trained on,
 * and the sum of its minibatch objectives.
 *
 * @param weights the replica's weights and Adam state; null when the partition had no step left in this round
 *                ({@code samples == 0})
 */
record Replica(int partition, long samples, int steps, double objectiveSum, long dualSteps, ReplicaWeights weights)
        implements Serializable {
}
