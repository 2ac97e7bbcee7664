package dev.constrained4j.losses.method;

/**
 * One minibatch as a {@link ConstrainedMethod} sees it: for each of its {@link #size()} samples, the sample's index
 * in the training set, its objective term {@code ℓ_i} and its constraint value {@code c_i} (satisfied when
 * {@code c_i ≤ B}), filled by the model's forward pass; and the per-sample constraint weights {@code w_i} that
 * {@link ConstrainedMethod#terms} writes for the backward pass (see {@link BatchTerms}).
 *
 * <p>A mutable holder of arrays sized for the largest batch, reused from batch to batch: entries at and beyond
 * {@code size()} are meaningless. Not thread-safe.
 */
public final class SampleBatch {

    private long[] indices;
    private double[] losses;
    private double[] constraints;
    private double[] weights;
    private int size;

    /** An empty batch with room for {@code capacity} samples (it grows on demand). */
    public SampleBatch(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        indices = new long[capacity];
        losses = new double[capacity];
        constraints = new double[capacity];
        weights = new double[capacity];
    }

    /** A batch holding copies of the given values (tests, small problems). */
    public static SampleBatch of(long[] indices, double[] losses, double[] constraints) {
        if (indices.length != losses.length || indices.length != constraints.length) {
            throw new IllegalArgumentException("indices, losses and constraints must have equal lengths, got "
                    + indices.length + ", " + losses.length + ", " + constraints.length);
        }
        SampleBatch batch = new SampleBatch(indices.length);
        batch.resize(indices.length);
        System.arraycopy(indices, 0, batch.indices, 0, indices.length);
        System.arraycopy(losses, 0, batch.losses, 0, losses.length);
        System.arraycopy(constraints, 0, batch.constraints, 0, constraints.length);
        return batch;
    }

    /** Sets the number of samples, growing the arrays if needed (their contents are then undefined). */
    public SampleBatch resize(int newSize) {
        if (newSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 0, got " + newSize);
        }
        if (newSize > indices.length) {
            indices = new long[newSize];
            losses = new double[newSize];
            constraints = new double[newSize];
            weights = new double[newSize];
        }
        size = newSize;
        return this;
    }

    /** Number of samples in the batch ({@code b}). */
    public int size() {
        return size;
    }

    /** Sample indices in the training set (live array; the first {@link #size()} entries count). */
    public long[] indices() {
        return indices;
    }

    /** Objective terms {@code ℓ_i} (live array). */
    public double[] losses() {
        return losses;
    }

    /** Constraint values {@code c_i} (live array). */
    public double[] constraints() {
        return constraints;
    }

    /** Constraint weights {@code w_i} written by {@link ConstrainedMethod#terms} (live array). */
    public double[] weights() {
        return weights;
    }
}
