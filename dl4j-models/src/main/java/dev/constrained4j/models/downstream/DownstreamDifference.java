package dev.constrained4j.models.downstream;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How much the downstream scores change from the clean images to their watermarked versions, with a paired
 * bootstrap 95% interval (docs/hidden.md, "The downstream check"): the same test images are resampled with
 * replacement {@code resamples} times, the watermarked score minus the clean score is computed on each resample
 * (both on the same images, so the images' own difficulty cancels), and the interval is the 2.5th and 97.5th
 * percentiles of those differences (linear interpolation between order statistics). A resample in which a class has no
 * positive or no negative image leaves that class out of its macro AUC, on both sides alike.
 *
 * @param accuracy        watermarked accuracy minus clean accuracy, on all the images
 * @param accuracyLow     2.5th percentile of the resampled accuracy differences
 * @param accuracyHigh    97.5th percentile
 * @param macroAuc        watermarked macro AUC minus clean macro AUC, on all the images
 * @param macroAucLow     2.5th percentile of the resampled macro-AUC differences (NaN if no resample defines one)
 * @param macroAucHigh    97.5th percentile
 * @param resamples       the number of bootstrap resamples
 */
public record DownstreamDifference(double accuracy, double accuracyLow, double accuracyHigh, double macroAuc,
                                   double macroAucLow, double macroAucHigh, int resamples) {

    /** The resamples of the runners' downstream tables. */
    public static final int DEFAULT_RESAMPLES = 2000;

    /**
     * The paired bootstrap of the class Javadoc.
     *
     * @param clean     the scores on the clean images
     * @param marked    the scores on the watermarked versions of the same images, in the same order, same labels
     * @param resamples the number of resamples, at least 1
     * @param seed      the resamples' seed: same inputs and seed, same interval
     * @return the differences and their intervals
     */
    public static DownstreamDifference bootstrap(DownstreamScores clean, DownstreamScores marked, int resamples,
                                                 long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        if (!Arrays.equals(clean.truth(), marked.truth())) {
            throw new IllegalArgumentException("clean and watermarked scores must be of the same images with the same"
                    + " labels (" + clean.images() + " and " + marked.images() + " images)");
        }
        int n = clean.images();
        DownstreamResult c = clean.result();
        DownstreamResult m = marked.result();
        double[] accuracy = new double[resamples];
        double[] auc = new double[resamples];
        int defined = 0;
        SplittableRandom random = new SplittableRandom(seed);
        int[] rows = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int k = 0; k < n; k++) {
                rows[k] = random.nextInt(n);
            }
            DownstreamResult cb = clean.result(rows);
            DownstreamResult mb = marked.result(rows);
            accuracy[b] = mb.accuracy() - cb.accuracy();
            double d = mb.macroAuc() - cb.macroAuc();
            if (!Double.isNaN(d)) {
                auc[defined++] = d;
            }
        }
        Arrays.sort(accuracy);
        double[] aucs = Arrays.copyOf(auc, defined);
        Arrays.sort(aucs);
        return new DownstreamDifference(m.accuracy() - c.accuracy(), percentile(accuracy, 0.025),
                percentile(accuracy, 0.975), m.macroAuc() - c.macroAuc(), percentile(aucs, 0.025),
                percentile(aucs, 0.975), resamples);
    }

    /** The {@code p}-quantile of sorted values, interpolating linearly between order statistics; NaN when empty. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
