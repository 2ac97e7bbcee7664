package dev.constrained4j.losses.penalty;

/**
 * How a per-sample constraint value {@code c_i} with bound {@code B} enters the objective, before it is
 * multiplied by the coefficient and averaged over the batch.
 */
public enum PenaltyFunction {
    /** The constraint is ignored: the plain task loss. */
    NONE,
    /** {@code c_i} itself, no threshold: the fixed-penalty (regularisation) baseline. */
    IDENTITY,
    /** {@code max(0, c_i - B)}: the sequential penalty method's default (linear hinge). */
    HINGE,
    /** {@code max(0, c_i - B)^2}: the squared hinge, an option. */
    SQUARED_HINGE;

    /** The value of this function for one sample, used in evaluation and tests. */
    public double apply(double c, double bound) {
        return switch (this) {
            case NONE -> 0.0;
            case IDENTITY -> c;
            case HINGE -> Math.max(0.0, c - bound);
            case SQUARED_HINGE -> {
                double v = Math.max(0.0, c - bound);
                yield v * v;
            }
        };
    }

    /**
     * The derivative {@code dφ/dc} at {@code c} (the hinge's is taken as 0 at the kink {@code c = B}, as ReLU's
     * derivative in SameDiff and PyTorch).
     */
    public double slope(double c, double bound) {
        return switch (this) {
            case NONE -> 0.0;
            case IDENTITY -> 1.0;
            case HINGE -> c > bound ? 1.0 : 0.0;
            case SQUARED_HINGE -> 2 * Math.max(0.0, c - bound);
        };
    }
}
