package dev.constrained4j.losses.method;

/**
 * One multiplier {@code λ_i} per training sample, 4 bytes each, indexed by the sample's index in the training set:
 * on the Java heap ({@link HeapMultipliers}) or in a memory-mapped file for data sets whose multipliers do not fit
 * there ({@link MappedMultipliers}). Values are floats; the arithmetic that updates them is the method's, in double.
 */
public interface MultiplierStore extends AutoCloseable {

    /** Number of multipliers (the training set's size). */
    long size();

    /** {@code λ_index}. */
    float get(long index);

    /** Sets {@code λ_index}. */
    void set(long index, float value);

    /** Sets every multiplier to {@code value}. */
    default void fill(float value) {
        for (long i = 0; i < size(); i++) {
            set(i, value);
        }
    }

    /** Copies every value of {@code other} (same size) into this store. */
    default void copyFrom(MultiplierStore other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException("cannot copy " + other.size() + " multipliers into a store of "
                    + size());
        }
        for (long i = 0; i < size(); i++) {
            set(i, other.get(i));
        }
    }

    /** Releases what the store holds (a mapped file's mapping); the heap store has nothing to release. */
    @Override
    default void close() {
    }
}
