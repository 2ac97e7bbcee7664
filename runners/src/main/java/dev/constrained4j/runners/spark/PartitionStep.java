package dev.constrained4j.runners.spark;

import java.io.Serializable;

/** The output of one partition's round: its method's new state (stays on the executor) and its replica (to the driver). */
record PartitionStep(ShardState state, Replica replica) implements Serializable {
}
