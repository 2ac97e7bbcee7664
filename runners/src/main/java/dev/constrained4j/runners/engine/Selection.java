package dev.constrained4j.runners.engine;

/**
 * Which epoch's weights are kept as "best": the one with the highest (or lowest) value of one metric.
 * With {@link #LAST}, the last epoch is always the best (the reference's selection for {@code plain} is
 * buggy; the project keeps the last epoch there).
 *
 * @param metric   the metric key, e.g. {@code train_satisfied}; empty for {@link #LAST}
 * @param maximise whether higher is better
 */
public record Selection(String metric, boolean maximise) {

    /** Keep the last epoch. */
    public static final Selection LAST = new Selection("", true);

    public Selection {
        if (metric == null) {
            throw new IllegalArgumentException("selection metric must not be null");
        }
    }

    /** Whether {@code value} beats {@code best} (strictly, so the first of equal epochs is kept). */
    public boolean isBetter(double value, double best) {
        if (metric.isEmpty()) {
            return true;
        }
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return maximise ? value > best : value < best;
    }

    /** A description for run records, e.g. "highest train_satisfied". */
    public String describe() {
        return metric.isEmpty() ? "last epoch" : (maximise ? "highest " : "lowest ") + metric;
    }
}
