package dev.constrained4j.runners.spark;

import dev.constrained4j.losses.method.MultiplierStore;
import java.util.Objects;

/**
 * The multipliers of one partition, over a float array that the partition's state owns: indexed by the sample's
 * position in its shard (its local index), not in the whole training set.
 */
final class ArrayMultipliers implements MultiplierStore {

    private final float[] values;

    ArrayMultipliers(float[] values) {
        this.values = Objects.requireNonNull(values, "values");
    }

    /** The array itself (live). */
    float[] values() {
        return values;
    }

    @Override
    public long size() {
        return values.length;
    }

    @Override
    public float get(long index) {
        return values[(int) Objects.checkIndex(index, values.length)];
    }

    @Override
    public void set(long index, float value) {
        values[(int) Objects.checkIndex(index, values.length)] = value;
    }
}
