package dev.constrained4j.data.tabular;

import java.util.List;

/**
 * Per-column standardisation {@code (x - mean) / sd} with the mean and population standard deviation of the
 * training rows; a constant column gets {@code sd = 1}, so it maps to 0 on the training rows and stays finite
 * elsewhere. Fit on the training side only, then apply to both sides.
 */
public final class Standardizer {

    private final List<String> featureNames;
    private final double[] means;
    private final double[] sds;

    private Standardizer(List<String> featureNames, double[] means, double[] sds) {
        this.featureNames = featureNames;
        this.means = means;
        this.sds = sds;
    }

    /**
     * The column means and population standard deviations of {@code train} (two passes, for accuracy).
     *
     * @throws IllegalArgumentException if {@code train} has no rows
     */
    public static Standardizer fit(TabularData train) {
        int n = train.rows();
        int width = train.width();
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit a Standardizer on 0 rows");
        }
        double[] x = train.features();
        double[] means = new double[width];
        for (int i = 0; i < x.length; i++) {
            means[i % width] += x[i];
        }
        for (int c = 0; c < width; c++) {
            means[c] /= n;
        }
        double[] sds = new double[width];
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - means[i % width];
            sds[i % width] += d * d;
        }
        for (int c = 0; c < width; c++) {
            double sd = Math.sqrt(sds[c] / n);
            sds[c] = sd > 0 ? sd : 1;
        }
        return new Standardizer(train.featureNames(), means, sds);
    }

    /**
     * {@code data} with every column standardised.
     *
     * @throws IllegalArgumentException if {@code data}'s columns are not the ones this was fitted on
     */
    public TabularData apply(TabularData data) {
        if (!data.featureNames().equals(featureNames)) {
            throw new IllegalArgumentException("data has columns " + data.featureNames()
                    + " but this Standardizer was fitted on " + featureNames);
        }
        int width = means.length;
        double[] x = data.features();
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - means[i % width]) / sds[i % width];
        }
        return data.withFeatures(x);
    }

    /** A copy of the column means. */
    public double[] means() {
        return means.clone();
    }

    /** A copy of the column standard deviations (1 for constant columns). */
    public double[] sds() {
        return sds.clone();
    }
}
