package dev.constrained4j.models.downstream;

import java.util.Arrays;

/**
 * The downstream classifier's scores on one set of images.
 *
 * @param images   number of images evaluated
 * @param accuracy fraction of images whose most probable class is their label
 * @param auc      one-vs-rest ROC AUC per class; NaN for a class with no positive or no negative image
 */
public record DownstreamResult(int images, double accuracy, double[] auc) {

    public DownstreamResult {
        if (images < 0) {
            throw new IllegalArgumentException("images must be >= 0, got " + images);
        }
        auc = auc.clone();
    }

    /** The mean of the per-class AUCs that are defined (not NaN), or NaN if none is. */
    public double macroAuc() {
        return Arrays.stream(auc).filter(a -> !Double.isNaN(a)).average().orElse(Double.NaN);
    }

    @Override
    public double[] auc() {
        return auc.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DownstreamResult r && r.images == images
                && Double.compare(r.accuracy, accuracy) == 0 && Arrays.equals(r.auc, auc);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * images + Double.hashCode(accuracy)) + Arrays.hashCode(auc);
    }

    @Override
    public String toString() {
        return "DownstreamResult[images=" + images + ", accuracy=" + accuracy + ", auc=" + Arrays.toString(auc) + "]";
    }
}
