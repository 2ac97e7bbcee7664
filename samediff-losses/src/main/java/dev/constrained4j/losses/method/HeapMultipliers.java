package dev.constrained4j.losses.method;

import java.util.Arrays;
import java.util.Objects;

/** Multipliers in one primitive {@code float} array on the Java heap (up to 2³¹ − 1 samples). */
public final class HeapMultipliers implements MultiplierStore {

    private final float[] values;

    /** {@code size} multipliers, all zero. */
    public HeapMultipliers(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("number of multipliers must be >= 0, got " + size);
        }
        this.values = new float[size];
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

    @Override
    public void fill(float value) {
        Arrays.fill(values, value);
    }

    @Override
    public void copyFrom(MultiplierStore other) {
        if (other instanceof HeapMultipliers heap && heap.values.length == values.length) {
            System.arraycopy(heap.values, 0, values, 0, values.length);
            return;
        }
        MultiplierStore.super.copyFrom(other);
    }
}
