package dev.constrained4j.runners.engine;

/**
 * Which epoch's weights are kept as "best": the one with the highest (or lowest) value of one metric, equal
 * values decided by an optional second metric. With {@link #LAST}, the last epoch is always the best (the
 * reference's selection for {@code plain} is buggy; the project keeps the last epoch there).
 *
 * @param metric           the metric key, e.g. {@code train_satisfied}; empty for {@link #LAST}
 * @param maximise         whether higher is better
 * @param tieBreak         the metric that decides between equal values of {@code metric} (e.g. {@code val_ber});
 *                         empty for none: the first of equal epochs is kept
 * @param tieBreakMaximise whether a higher {@code tieBreak} is better
 */
public record Selection(String metric, boolean maximise, String tieBreak, boolean tieBreakMaximise) {

    /** Keep the last epoch. */
    public static final Selection LAST = new Selection("", true);

    public Selection {
        if (metric == null || tieBreak == null) {
            throw new IllegalArgumentException("selection metric and tie-break must not be null (empty for none)");
        }
        if (metric.isEmpty() && !tieBreak.isEmpty()) {
            throw new IllegalArgumentException("a tie-break (" + tieBreak + ") needs a selection metric");
        }
    }

    /** A selection by one metric, the first of equal epochs kept. */
    public Selection(String metric, boolean maximise) {
        this(metric, maximise, "", true);
    }

    /** Whether {@code value} beats {@code best} (strictly, so the first of equal epochs is kept). */
    public boolean isBetter(double value, double best) {
        return isBetter(value, Double.NaN, best, Double.NaN);
    }

    /**
     * Whether an epoch with {@code value} (and tie-break value {@code tie}) beats the best so far; with equal
     * values, a strictly better tie-break value wins, so the first of fully equal epochs is kept.
     */
    public boolean isBetter(double value, double tie, double best, double bestTie) {
        if (metric.isEmpty()) {
            return true;
        }
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        if (value != best) {
            return maximise ? value > best : value < best;
        }
        if (tieBreak.isEmpty() || Double.isNaN(tie)) {
            return false;
        }
        if (Double.isNaN(bestTie)) {
            return true;
        }
        return tieBreakMaximise ? tie > bestTie : tie < bestTie;
    }

    /** A description for run records, e.g. "highest train_satisfied" or "highest val_satisfied, then lowest val_ber". */
    public String describe() {
        if (metric.isEmpty()) {
            return "last epoch";
        }
        String main = (maximise ? "highest " : "lowest ") + metric;
        return tieBreak.isEmpty() ? main : main + ", then " + (tieBreakMaximise ? "highest " : "lowest ") + tieBreak;
    }
}
