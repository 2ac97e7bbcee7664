package dev.constrained4j.models.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DownstreamDifferenceTest {

    /** Two classes, alternating labels; each image gets probability {@code p} for class 1. */
    private static DownstreamScores scores(int[] truth, double[] p) {
        double[][] probabilities = new double[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            probabilities[i] = new double[] {1 - p[i], p[i]};
        }
        return new DownstreamScores(truth, probabilities);
    }

    private static int[] alternating(int n) {
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
        }
        return truth;
    }

    @Test
    void sameScoresDifferByExactlyNothing() {
        int[] truth = alternating(20);
        double[] p = new double[20];
        for (int i = 0; i < 20; i++) {
            p[i] = (i * 7 % 20) / 20.0;
        }
        DownstreamDifference d = DownstreamDifference.bootstrap(scores(truth, p), scores(truth, p), 500, 1);
        // Every resample scores the same images twice: each difference, and so each percentile, is 0.
        assertEquals(0, d.accuracy());
        assertEquals(0, d.accuracyLow());
        assertEquals(0, d.accuracyHigh());
        assertEquals(0, d.macroAuc());
        assertEquals(0, d.macroAucLow());
        assertEquals(0, d.macroAucHigh());
    }

    @Test
    void everyImageFlippedCostsAllTheAccuracyOnEveryResample() {
        int[] truth = alternating(30);
        double[] right = new double[30];
        double[] wrong = new double[30];
        for (int i = 0; i < 30; i++) {
            right[i] = truth[i] == 1 ? 0.9 : 0.1;
            wrong[i] = 1 - right[i];
        }
        DownstreamDifference d = DownstreamDifference.bootstrap(scores(truth, right), scores(truth, wrong), 300, 2);
        // Clean: accuracy 1 and AUC 1 on any resample with both classes; watermarked: 0 and 0. Difference −1 each.
        assertEquals(-1, d.accuracy());
        assertEquals(-1, d.accuracyLow());
        assertEquals(-1, d.accuracyHigh());
        assertEquals(-1, d.macroAuc());
        assertEquals(-1, d.macroAucLow());
        assertEquals(-1, d.macroAucHigh());
    }

    @Test
    void theIntervalOfAFewFlippedImagesMatchesTheBinomialSpreadAndIsSeeded() {
        // 200 images, all right when clean; 20 of them (10%) wrong when watermarked. A resample's difference is
        // −(wrong images drawn)/200, binomial(200, 0.1)/200: mean −0.1, standard deviation sqrt(0.1·0.9/200) = 0.0212,
        // so the 95% interval is about −0.1 ± 1.96·0.0212 = [−0.142, −0.058].
        int n = 200;
        int[] truth = alternating(n);
        double[] clean = new double[n];
        double[] marked = new double[n];
        for (int i = 0; i < n; i++) {
            clean[i] = truth[i] == 1 ? 0.8 : 0.2;
            marked[i] = i < 20 ? 1 - clean[i] : clean[i];
        }
        DownstreamDifference d = DownstreamDifference.bootstrap(scores(truth, clean), scores(truth, marked), 4000, 3);
        assertEquals(-0.1, d.accuracy(), 1e-12);
        assertEquals(-0.142, d.accuracyLow(), 0.01, d.toString());
        assertEquals(-0.058, d.accuracyHigh(), 0.01, d.toString());
        assertTrue(d.macroAucLow() < d.macroAuc() && d.macroAuc() < d.macroAucHigh() && d.macroAucHigh() < 0,
                d.toString());
        assertEquals(d, DownstreamDifference.bootstrap(scores(truth, clean), scores(truth, marked), 4000, 3));
    }

    @Test
    void scoresOfOtherImagesAreRefused() {
        DownstreamScores a = scores(new int[] {0, 1}, new double[] {0.2, 0.7});
        DownstreamScores b = scores(new int[] {1, 0}, new double[] {0.2, 0.7});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DownstreamDifference.bootstrap(a, b, 10, 1));
        assertTrue(e.getMessage().contains("same images"), e.getMessage());
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {0, 1, 2, 3, 4};
        assertEquals(0, DownstreamDifference.percentile(sorted, 0));
        assertEquals(4, DownstreamDifference.percentile(sorted, 1));
        assertEquals(0.1, DownstreamDifference.percentile(sorted, 0.025), 1e-12); // position 0.1
        assertEquals(3.9, DownstreamDifference.percentile(sorted, 0.975), 1e-12); // position 3.9
    }
}
