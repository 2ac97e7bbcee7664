package dev.constrained4j.reports.fairness;

import dev.constrained4j.reports.chart.Numbers;

import java.util.List;

/**
 * The mean and sample standard deviation of one value over a method's seeds.
 *
 * @param n    the number of seeds with a value
 * @param mean their mean, NaN when {@code n} is 0
 * @param sd   their sample standard deviation (divisor n − 1), NaN when {@code n} &lt; 2
 */
public record SeedStats(int n, double mean, double sd) {

    /**
     * @param values one value per seed (NaN and infinities are kept and propagate)
     * @return their statistics
     */
    public static SeedStats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new SeedStats(0, Double.NaN, Double.NaN);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new SeedStats(1, mean, Double.NaN);
        }
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return new SeedStats(n, mean, Math.sqrt(squares / (n - 1)));
    }

    /**
     * @return the mean to 4 significant digits and the sd to 2: {@code "0.8123 ± 0.0042"};
     *         {@code "0.8123 ± –"} for one seed; {@code "n/a"} for none
     */
    public String format() {
        if (n == 0) {
            return "n/a";
        }
        return Numbers.format(mean) + " ± " + (n == 1 ? "–" : Numbers.format(sd, 2));
    }
}
