package dev.constrained4j.reports.chart;

import java.util.Arrays;

/**
 * Counts of values in equal-width bins over {@code [min, max]}, as in the reference's histograms of
 * per-image reconstruction MSE (bin width 2e-4 over [0, 0.04]).
 *
 * <p>Bin {@code i} holds {@code min + i·w ≤ v < min + (i+1)·w}; the last bin is closed at
 * {@code max}. A value within 1e-9 bin widths of an edge counts as on the edge, so {@code 0.0006}
 * with {@code w = 2e-4} goes into bin 3 although {@code 0.0006 / 2e-4 = 2.9999999999999996}.
 * Values beyond {@code max} are counted in the last bin and also in {@link #beyondMax()}; values
 * below {@code min} in the first bin and in {@link #belowMin()}; NaN values are not counted.
 *
 * @param min       the left edge of the first bin
 * @param max       the right edge of the last bin
 * @param binWidth  the bin width
 * @param counts    the count per bin
 * @param belowMin  how many values were below {@code min} (included in the first bin)
 * @param beyondMax how many values were above {@code max} (included in the last bin)
 * @param nan       how many values were NaN (not counted in any bin)
 */
public record Histogram(double min, double max, double binWidth, long[] counts, long belowMin, long beyondMax,
                        long nan) {

    private static final double EDGE_TOLERANCE = 1e-9;
    private static final double MAX_BINS = 1e6;

    /** Copies the counts. */
    public Histogram {
        counts = counts.clone();
    }

    /**
     * Bins values.
     *
     * @param values   the values
     * @param min      the left edge of the first bin
     * @param max      the right edge of the last bin, &gt; min
     * @param binWidth the bin width, &gt; 0; if {@code (max-min)/binWidth} is not a whole number the
     *                 last bin is narrower
     * @return the histogram
     * @throws IllegalArgumentException if {@code binWidth ≤ 0}, {@code max ≤ min}, or there would be
     *                                  more than a million bins
     */
    public static Histogram of(double[] values, double min, double max, double binWidth) {
        if (!(binWidth > 0) || !(max > min) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("need binWidth > 0 and finite min < max, got binWidth="
                    + binWidth + ", min=" + min + ", max=" + max);
        }
        double bins = snap((max - min) / binWidth);
        if (bins > MAX_BINS) {
            throw new IllegalArgumentException("too many bins: " + bins);
        }
        return count(values, min, max, binWidth, Math.max(1, (int) Math.ceil(bins)));
    }

    /**
     * Bins values over a range taken from the data, for columns whose range is not known in advance
     * (e.g. the multipliers λ_i of an augmented Lagrangian): from {@code min(0, smallest finite
     * value)} to the largest finite value, in {@code bins} equal bins. If that range is empty (every
     * value 0, or every value the same negative number v) it becomes [v, v + |v|], or [0, 1] for 0,
     * so a degenerate column still has one visible bar in its first bin. Infinite values are counted
     * as beyond the range; NaN values are not counted.
     *
     * @param values the values
     * @param bins   the number of bins, 1 to a million
     * @return the histogram; {@code belowMin} and {@code beyondMax} count only infinite values
     * @throws IllegalArgumentException if {@code bins} is out of range
     */
    public static Histogram ofData(double[] values, int bins) {
        if (bins < 1 || bins > MAX_BINS) {
            throw new IllegalArgumentException("need 1 to " + (int) MAX_BINS + " bins, got " + bins);
        }
        double min = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (!(max > min)) {
            max = min + (min == 0 ? 1 : Math.abs(min));
        }
        return count(values, min, max, (max - min) / bins, bins);
    }

    private static Histogram count(double[] values, double min, double max, double binWidth, int n) {
        long[] counts = new long[n];
        long below = 0;
        long beyond = 0;
        long nan = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                nan++;
                continue;
            }
            int index;
            if (v > max) {
                beyond++;
                index = n - 1;
            } else if (v < min) {
                below++;
                index = 0;
            } else {
                index = Math.min(n - 1, (int) Math.floor(snap((v - min) / binWidth)));
            }
            counts[index]++;
        }
        return new Histogram(min, max, binWidth, counts, below, beyond, nan);
    }

    private static double snap(double k) {
        double r = Math.rint(k);
        return Math.abs(k - r) <= EDGE_TOLERANCE * Math.max(1, Math.abs(r)) ? r : k;
    }

    /** @return the number of bins */
    public int bins() {
        return counts.length;
    }

    /**
     * @param bin a bin index
     * @return its left edge
     */
    public double leftEdge(int bin) {
        return min + bin * binWidth;
    }

    /**
     * @param bin a bin index
     * @return its right edge ({@code max} for the last bin)
     */
    public double rightEdge(int bin) {
        return bin == counts.length - 1 ? max : min + (bin + 1) * binWidth;
    }

    /** @return the number of values counted in bins (NaN excluded) */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** @return the largest bin count */
    public long maxCount() {
        return Arrays.stream(counts).max().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && h.min == min && h.max == max && h.binWidth == binWidth
                && Arrays.equals(h.counts, counts) && h.belowMin == belowMin && h.beyondMax == beyondMax
                && h.nan == nan;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + Double.hashCode(min + max + binWidth);
    }

    @Override
    public String toString() {
        return "Histogram[min=" + min + ", max=" + max + ", binWidth=" + binWidth + ", counts="
                + Arrays.toString(counts) + ", belowMin=" + belowMin + ", beyondMax=" + beyondMax + ", nan=" + nan + "]";
    }
}
