package dev.constrained4j.runners.spark;

import dev.constrained4j.losses.method.MultiplierStatistics;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link MultiplierStatistics} of multipliers that stay on their partitions: mean, maximum, positive fraction, and
 * the nearest-rank percentiles, exact at any number of multipliers (the single-machine statistics are exact up to
 * 2²⁴ and from a histogram above). Two passes of a radix selection over the 32 bits of each float's order-preserving
 * key: the first counts the keys' high 16 bits, the second, for each percentile, the low 16 bits of the keys in the
 * high bin that holds its rank. What reaches the driver is histograms (sparse from each partition, then tree-reduced)
 * and one sum per partition, added in partition order so that one partition gives the single-machine mean bit for
 * bit; never a multiplier.
 */
final class MultiplierSummary {

    private static final int BITS = 16;
    private static final int BINS = 1 << BITS;

    private MultiplierSummary() {
    }

    /**
     * The statistics of the multipliers of all partitions, from their first passes (one per partition, in partition
     * order, made where the partitions are: by the evaluation's tasks) and the second pass over all of them for the
     * high bins of the percentiles ({@link Second#of} on every partition, merged).
     */
    static Map<String, Double> of(List<First> firsts, Function<int[], Second> secondPass) {
        First first = firsts.get(0);
        for (int p = 1; p < firsts.size(); p++) {
            first = first.plus(firsts.get(p));
        }
        long n = first.count;
        Map<String, Double> out = new LinkedHashMap<>();
        if (n == 0) {
            for (String k : MultiplierStatistics.KEYS) {
                out.put(k, Double.NaN);
            }
            return out;
        }
        List<Double> levels = MultiplierStatistics.QUANTILES;
        int[] high = new int[levels.size()];
        long[] rest = new long[levels.size()];
        long[] histogram = first.dense();
        for (int k = 0; k < high.length; k++) {
            long rank = MultiplierStatistics.rank(levels.get(k), n);
            int bin = 0;
            while (rank >= histogram[bin]) {
                rank -= histogram[bin];
                bin++;
            }
            high[k] = bin;
            rest[k] = rank;
        }
        Second second = secondPass.apply(high);
        out.put(MultiplierStatistics.KEYS[0], first.sum / n);
        out.put(MultiplierStatistics.KEYS[1], (double) first.max);
        for (int k = 0; k < high.length; k++) {
            long rank = rest[k];
            int bin = 0;
            while (rank >= second.low[k][bin]) {
                rank -= second.low[k][bin];
                bin++;
            }
            out.put(MultiplierStatistics.KEYS[2 + k], (double) value((high[k] << BITS) | bin));
        }
        out.put(MultiplierStatistics.KEYS[5], first.positive / (double) n);
        return out;
    }

    /** A key whose unsigned order is the order of the floats (−0 before +0, as {@code Arrays.sort}). */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits >= 0 ? bits ^ Integer.MIN_VALUE : ~bits;
    }

    /** The float of a {@link #key}. */
    static float value(int key) {
        return Float.intBitsToFloat(key < 0 ? key ^ Integer.MIN_VALUE : ~key);
    }

    /**
     * The first pass over one partition's multipliers: count, sum (in index order), maximum, positive count, and the
     * histogram of the keys' high bits, sparse (multipliers in [0, λ_max] fill a few thousand of its 65,536 bins).
     * Merged in partition order, so the sum of one partition is the single-machine sum.
     */
    record First(long count, double sum, float max, long positive, int[] bins, long[] counts) implements Serializable {

        static First of(float[] values) {
            long[] high = new long[BINS];
            double sum = 0;
            float max = Float.NEGATIVE_INFINITY;
            long positive = 0;
            for (float v : values) {
                sum += v;
                max = Math.max(max, v);
                if (v > 0) {
                    positive++;
                }
                high[key(v) >>> BITS]++;
            }
            int used = 0;
            for (long c : high) {
                used += c > 0 ? 1 : 0;
            }
            int[] bins = new int[used];
            long[] counts = new long[used];
            for (int b = 0, k = 0; b < BINS; b++) {
                if (high[b] > 0) {
                    bins[k] = b;
                    counts[k++] = high[b];
                }
            }
            return new First(values.length, sum, max, positive, bins, counts);
        }

        /** These counts followed by {@code o}'s. */
        First plus(First o) {
            long[] dense = dense();
            for (int k = 0; k < o.bins.length; k++) {
                dense[o.bins[k]] += o.counts[k];
            }
                int used = 0;
            for (long c : dense) {
                used += c > 0 ? 1 : 0;
            }
            int[] b = new int[used];
            long[] c = new long[used];
            for (int i = 0, k = 0; i < BINS; i++) {
                if (dense[i] > 0) {
                    b[k] = i;
                    c[k++] = dense[i];
                }
            }
            return new First(count + o.count, sum + o.sum, Math.max(max, o.max), positive + o.positive, b, c);
        }

        long[] dense() {
            long[] dense = new long[BINS];
            for (int k = 0; k < bins.length; k++) {
                dense[bins[k]] += counts[k];
            }
            return dense;
        }
    }

    /** The second pass: per percentile, the histogram of the low bits of the keys in its high bin. */
    static final class Second implements Serializable {
        private static final long serialVersionUID = 1L;
        final long[][] low;

        Second(int levels) {
            low = new long[levels][BINS];
        }

        static Second of(float[] values, int[] high) {
            Second s = new Second(high.length);
            for (float v : values) {
                int key = key(v);
                for (int k = 0; k < high.length; k++) {
                    if (key >>> BITS == high[k]) {
                        s.low[k][key & (BINS - 1)]++;
                    }
                }
            }
            return s;
        }

        Second plus(Second o) {
            Second r = new Second(low.length);
            for (int k = 0; k < low.length; k++) {
                for (int b = 0; b < BINS; b++) {
                    r.low[k][b] = low[k][b] + o.low[k][b];
                }
            }
            return r;
        }
    }
}
