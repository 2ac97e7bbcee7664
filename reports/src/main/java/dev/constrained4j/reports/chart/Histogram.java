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
        if (bins > 1e6) {
            throw new IllegalArgumentException("too many bins: " + bins);
        }
        int n = Math.max(1, (int) Math.ceil(bins));
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
