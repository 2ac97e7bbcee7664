package dev.constrained4j.reports.chart;

import java.util.Arrays;

/**
 * The five numbers of a Tukey box plot, as matplotlib draws them: quartiles by linear
 * interpolation between order statistics (numpy's default, "type 7"), whiskers at the most extreme
 * data points within 1.5 IQR of the box; points beyond them are outliers.
 *
 * @param n            the number of finite values
 * @param min          the smallest value
 * @param whiskerLow   the smallest value ≥ q1 − 1.5·IQR
 * @param q1           the first quartile
 * @param median       the median
 * @param q3           the third quartile
 * @param whiskerHigh  the largest value ≤ q3 + 1.5·IQR
 * @param max          the largest value
 * @param mean         the mean
 * @param outliers     how many values lie outside the whiskers
 */
public record BoxStats(int n, double min, double whiskerLow, double q1, double median, double q3,
                       double whiskerHigh, double max, double mean, int outliers) {

    /**
     * @param values the values; NaN and infinite values are ignored
     * @return their box-plot statistics
     * @throws IllegalArgumentException if there is no finite value
     */
    public static BoxStats of(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            throw new IllegalArgumentException("no finite values");
        }
        double q1 = quantile(v, 0.25);
        double q3 = quantile(v, 0.75);
        double iqr = q3 - q1;
        double lowFence = q1 - 1.5 * iqr;
        double highFence = q3 + 1.5 * iqr;
        double lo = v[v.length - 1];
        double hi = v[0];
        int outliers = 0;
        for (double x : v) {
            if (x < lowFence || x > highFence) {
                outliers++;
            } else {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        return new BoxStats(v.length, v[0], lo, q1, quantile(v, 0.5), q3, hi, v[v.length - 1],
                Arrays.stream(v).average().orElse(Double.NaN), outliers);
    }

    /**
     * @param sorted values in ascending order, at least one
     * @param p      the probability in [0, 1]
     * @return the quantile by linear interpolation at position {@code p·(n−1)}
     */
    public static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
