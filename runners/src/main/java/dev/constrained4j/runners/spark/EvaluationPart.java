package dev.constrained4j.runners.spark;

import java.io.Serializable;

/**
 * What one partition's evaluation task sends to the driver: its sums and, for a training partition, the first pass of
 * its multipliers' statistics (null without multipliers) and its checkpoint file (null for a test partition).
 */
record EvaluationPart(SplitSums sums, MultiplierSummary.First multipliers, PartitionTrainer.StateFile stateFile)
        implements Serializable {
}
