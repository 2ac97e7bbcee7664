package dev.constrained4j.runners.spark;

import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.MethodState;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The method's state on one partition: its scalars (epoch, τ or ρ, the partition's dual steps) and, for the
 * augmented Lagrangian, the multipliers λ_i of the partition's samples, by local index. An element of the state RDD
 * that each round's job produces beside the shards and the next one consumes; it never goes to the driver (its
 * checkpoint is a file that the executor writes, {@link PartitionTrainer#writeState}).
 *
 * @param multipliers λ_i of the shard's samples, or null for a method without multipliers; never changed in place
 */
record ShardState(int partition, String method, LinkedHashMap<String, Double> scalars, float[] multipliers)
        implements Serializable {

    /** The state of {@code method} after its last call, its multipliers copied. */
    static ShardState of(int partition, ConstrainedMethod method) {
        MethodState s = method.state();
        return new ShardState(partition, s.method(), new LinkedHashMap<>(s.scalars()),
                s.multipliers() == null ? null : copy(s));
    }

    private static float[] copy(MethodState s) {
        if (s.multipliers() instanceof ArrayMultipliers a) {
            return a.values().clone();
        }
        float[] values = new float[Math.toIntExact(s.multipliers().size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = s.multipliers().get(i);
        }
        return values;
    }

    /** A store over a copy of the multipliers (null without), for a method to work on. */
    ArrayMultipliers store() {
        return multipliers == null ? null : new ArrayMultipliers(multipliers.clone());
    }

    /** This state as the method restores it, over {@code store} (from {@link #store()}). */
    MethodState methodState(ArrayMultipliers store) {
        return new MethodState(method, scalars, store);
    }

    /** A scalar of the state. */
    double scalar(String name) {
        return methodState(null).scalar(name);
    }

    /** The scalars, read only. */
    Map<String, Double> scalarView() {
        return java.util.Collections.unmodifiableMap(scalars);
    }
}
