package dev.constrained4j.losses.method;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summary of a multiplier store for the epoch's record: mean, maximum, the 50th/90th/99th percentiles and the
 * fraction of positive multipliers ({@code dual_mean}, {@code dual_max}, {@code dual_p50}, {@code dual_p90},
 * {@code dual_p99}, {@code dual_positive}). Percentiles are exact (nearest rank on a sorted copy) up to 2²⁴
 * multipliers; above, they come from a 65,536-bin histogram on [min, max] (error below one bin).
 */
public final class MultiplierStatistics {

    /** The keys, in the order they are reported. */
    public static final String[] KEYS = {"dual_mean", "dual_max", "dual_p50", "dual_p90", "dual_p99", "dual_positive"};

    private static final int EXACT_LIMIT = 1 << 24;
    private static final int BINS = 1 << 16;
    /** The levels of {@code dual_p50}, {@code dual_p90}, {@code dual_p99}. */
    public static final List<Double> QUANTILES = List.of(0.5, 0.9, 0.99);

    private MultiplierStatistics() {
    }

    /** The statistics of {@code store}; NaN values for an empty store. */
    public static Map<String, Double> of(MultiplierStore store) {
        long n = store.size();
        Map<String, Double> out = new LinkedHashMap<>();
        if (n == 0) {
            for (String k : KEYS) {
                out.put(k, Double.NaN);
            }
            return out;
        }
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        long positive = 0;
        for (long i = 0; i < n; i++) {
            double v = store.get(i);
            sum += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
            if (v > 0) {
                positive++;
            }
        }
        double[] q = n <= EXACT_LIMIT ? exact(store) : histogram(store, min, max);
        out.put(KEYS[0], sum / n);
        out.put(KEYS[1], max);
        out.put(KEYS[2], q[0]);
        out.put(KEYS[3], q[1]);
        out.put(KEYS[4], q[2]);
        out.put(KEYS[5], positive / (double) n);
        return out;
    }

    private static double[] exact(MultiplierStore store) {
        int n = (int) store.size();
        float[] sorted = new float[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = store.get(i);
        }
        Arrays.sort(sorted);
        double[] q = new double[QUANTILES.size()];
        for (int k = 0; k < q.length; k++) {
            q[k] = sorted[rank(QUANTILES.get(k), n)];
        }
        return q;
    }

    /** The 0-based nearest rank of quantile {@code p} among {@code n} sorted values. */
    public static int rank(double p, long n) {
        return (int) Math.min(n - 1, Math.max(0, (long) Math.ceil(p * n) - 1));
    }

    private static double[] histogram(MultiplierStore store, double min, double max) {
        long n = store.size();
        long[] counts = new long[BINS];
        double width = (max - min) / BINS;
        for (long i = 0; i < n; i++) {
            int bin = width == 0 ? 0 : (int) Math.min(BINS - 1, (store.get(i) - min) / width);
            counts[bin]++;
        }
        double[] q = new double[QUANTILES.size()];
        for (int k = 0; k < q.length; k++) {
            long target = rank(QUANTILES.get(k), n);
            long seen = 0;
            int bin = 0;
            while (seen + counts[bin] <= target) {
                seen += counts[bin];
                bin++;
            }
            q[k] = min + (bin + 0.5) * width;
        }
        return q;
    }
}
