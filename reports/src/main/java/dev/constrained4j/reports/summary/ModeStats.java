package dev.constrained4j.reports.summary;

import dev.constrained4j.reports.chart.Numbers;

import java.util.List;

/**
 * The mean and sample standard deviation of one value over a group of modes: a fairness method's
 * seeds, or a weights cell's seeds × hyper-parameter settings.
 *
 * @param n    the number of modes with a value
 * @param mean their mean, NaN when {@code n} is 0
 * @param sd   their sample standard deviation (divisor n − 1), NaN when {@code n} &lt; 2
 */
public record ModeStats(int n, double mean, double sd) {

    /**
     * @param values one value per mode (NaN and infinities are kept and propagate)
     * @return their statistics
     */
    public static ModeStats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new ModeStats(0, Double.NaN, Double.NaN);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new ModeStats(1, mean, Double.NaN);
        }
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return new ModeStats(n, mean, Math.sqrt(squares / (n - 1)));
    }

    /** @return whether there is a mean, i.e. {@code n > 0} */
    public boolean hasMean() {
        return n > 0;
    }

    /** @return whether there is a standard deviation, i.e. {@code n > 1} */
    public boolean hasSd() {
        return n > 1;
    }

    /**
     * @return the mean to 4 significant digits and the sd to 2: {@code "0.8123 ± 0.0042"};
     *         {@code "0.8123 ± –"} for one mode; {@code "n/a"} for none
     */
    public String format() {
        if (n == 0) {
            return "n/a";
        }
        return Numbers.format(mean) + " ± " + (n == 1 ? "–" : Numbers.format(sd, 2));
    }

    /**
     * @return the mean and sd as seed 002's tables write them, each {@link Numbers#compact compact}:
     *         {@code "0.72 (σ 0.06)"}, {@code "3.2K (σ 7.6K)"}; {@code "0.72 (σ –)"} for one mode;
     *         {@code "n/a"} for none
     */
    public String formatCompact() {
        if (n == 0) {
            return "n/a";
        }
        return Numbers.compact(mean) + " (σ " + (n == 1 ? "–" : Numbers.compact(sd)) + ")";
    }
}
