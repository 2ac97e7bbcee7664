package dev.constrained4j.models.downstream;

import java.util.Arrays;

/**
 * The downstream classifier's class probabilities on a set of labelled images, from which accuracy and the
 * per-class ROC AUCs are computed: on all the images ({@link #result()}) or on a resample of them
 * ({@link #result(int[])}, for {@link DownstreamDifference#bootstrap}).
 *
 * @param truth         the label of each image, {@code 0 ≤ truth[i] < classes}
 * @param probabilities {@code probabilities[i][c]}, the classifier's probability of class {@code c} for image {@code i}
 */
public record DownstreamScores(int[] truth, double[][] probabilities) {

    public DownstreamScores {
        if (truth.length != probabilities.length) {
            throw new IllegalArgumentException("truth and probabilities must have one entry per image, got "
                    + truth.length + " and " + probabilities.length);
        }
        truth = truth.clone();
        probabilities = Arrays.stream(probabilities).map(double[]::clone).toArray(double[][]::new);
        int classes = probabilities.length == 0 ? 0 : probabilities[0].length;
        for (int i = 0; i < truth.length; i++) {
            if (probabilities[i].length != classes || truth[i] < 0 || truth[i] >= classes) {
                throw new IllegalArgumentException("image " + i + ": label " + truth[i] + " and "
                        + probabilities[i].length + " probabilities do not fit " + classes + " classes");
            }
        }
    }

    /** @return the number of images */
    public int images() {
        return truth.length;
    }

    /** @return accuracy and per-class AUC on every image */
    public DownstreamResult result() {
        int[] all = new int[truth.length];
        Arrays.setAll(all, i -> i);
        return result(all);
    }

    /**
     * Accuracy (the most probable class, the first on a tie, is the label) and one-vs-rest ROC AUC per class
     * ({@link DownstreamClassifier#rocAuc}) on the images {@code rows}, repetitions counted as often as they occur.
     *
     * @param rows image indices, possibly repeated
     * @return the scores on those images
     */
    public DownstreamResult result(int[] rows) {
        int classes = probabilities.length == 0 ? 0 : probabilities[0].length;
        int correct = 0;
        for (int row : rows) {
            if (argMax(probabilities[row]) == truth[row]) {
                correct++;
            }
        }
        double[] auc = new double[classes];
        double[] scores = new double[rows.length];
        boolean[] positive = new boolean[rows.length];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < rows.length; k++) {
                scores[k] = probabilities[rows[k]][c];
                positive[k] = truth[rows[k]] == c;
            }
            auc[c] = DownstreamClassifier.rocAuc(scores, positive);
        }
        return new DownstreamResult(rows.length, rows.length == 0 ? Double.NaN : (double) correct / rows.length, auc);
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public int[] truth() {
        return truth.clone();
    }

    @Override
    public double[][] probabilities() {
        return Arrays.stream(probabilities).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DownstreamScores s && Arrays.equals(s.truth, truth)
                && Arrays.deepEquals(s.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(truth) + Arrays.deepHashCode(probabilities);
    }

    @Override
    public String toString() {
        return "DownstreamScores[images=" + truth.length + "]";
    }
}
