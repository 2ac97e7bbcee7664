package dev.constrained4j.losses.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Values by hand and derivatives against central differences, in double precision. */
class GroupRateConstraintsTest {

    @Test
    void valuesOfAHandExample() {
        // group 0: p = 0.2, 0.4 → PR_0 = 0.3; group 1: p = 0.9 → PR_1 = 0.9; PR = 1.5/3 = 0.5
        GroupRateConstraints c = new GroupRateConstraints(2, 0.05);
        double[] p = {0.2, 0.9, 0.4};
        int[] groups = {0, 1, 0};
        double[] gaps = new double[2];
        assertEquals(0.5, c.gaps(p, groups, 3, gaps), 1e-15);
        assertArrayEquals(new double[]{-0.2, 0.4}, gaps, 1e-15);
        double[] values = new double[4];
        c.values(p, groups, 3, values);
        // C_0 = PR_0 − PR − c, C_1 = PR − PR_0 − c, then group 1
        assertArrayEquals(new double[]{-0.25, 0.15, 0.35, -0.45}, values, 1e-15);
        assertEquals(0.35, c.maxViolation(gaps), 1e-15);
        assertEquals(4, c.count());
    }

    @Test
    void populationSharesWeighTheOverallRate() {
        // the batch of the hand example with shares (0.8, 0.2): PR = 0.8·0.3 + 0.2·0.9 = 0.42
        GroupRateConstraints c = new GroupRateConstraints(2, 0.05, new double[]{0.8, 0.2});
        double[] gaps = new double[2];
        assertEquals(0.42, c.gaps(new double[]{0.2, 0.9, 0.4}, new int[]{0, 1, 0}, 3, gaps), 1e-15);
        assertArrayEquals(new double[]{-0.12, 0.48}, gaps, 1e-15);
        assertArrayEquals(new double[]{0.25, 0.75}, GroupRateConstraints.sharesOf(new int[]{1, 0, 1, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> new GroupRateConstraints(2, 0.05, new double[]{0.5, 0.6}));
        assertThrows(IllegalArgumentException.class, () -> new GroupRateConstraints(2, 0.05, new double[]{1, 0}));
    }

    @Test
    void derivativesMatchCentralDifferences() {
        derivativesMatchCentralDifferences(new GroupRateConstraints(3, 0.02));
        derivativesMatchCentralDifferences(new GroupRateConstraints(3, 0.02, new double[]{0.5, 0.3, 0.2}));
    }

    private static void derivativesMatchCentralDifferences(GroupRateConstraints c) {
        SplittableRandom random = new SplittableRandom(7);
        int n = 11;
        double[] p = new double[n];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = random.nextDouble();
            groups[i] = i < 6 ? 0 : i % 2 + 1;
        }
        double[] weights = new double[6];
        for (int j = 0; j < 6; j++) {
            weights[j] = random.nextDouble() * 2 - 1;
        }
        double[] analytic = new double[n];
        c.backward(groups, n, weights, analytic);
        double h = 1e-6;
        for (int i = 0; i < n; i++) {
            double[] up = p.clone();
            double[] down = p.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (weighted(c, up, groups, weights) - weighted(c, down, groups, weights)) / (2 * h);
            assertEquals(numeric, analytic[i], 1e-9, "row " + i);
        }
    }

    private static double weighted(GroupRateConstraints c, double[] p, int[] groups, double[] weights) {
        double[] values = new double[c.count()];
        c.values(p, groups, p.length, values);
        double sum = 0;
        for (int j = 0; j < values.length; j++) {
            sum += weights[j] * values[j];
        }
        return sum;
    }

    @Test
    void aGroupWithoutRowsIsAnError() {
        GroupRateConstraints c = new GroupRateConstraints(2, 0.05);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.values(new double[]{0.5, 0.5}, new int[]{0, 0}, 2, new double[4]));
        assertTrue(e.getMessage().contains("group-balanced"), e.getMessage());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GroupRateConstraints(1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new GroupRateConstraints(2, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new GroupRateConstraints(2, Double.NaN));
    }
}
