package dev.constrained4j.losses.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every weight constraint's gradient against central differences in double precision, at points where the
 * constraint is violated (so the check is not of a zero gradient) and no entry sits on a kink.
 */
class WeightConstraintGradientCheckTest {

    /** One check: a constraint at a seeded random point of a shape, entries scaled and kept off zero. */
    record Case(String label, WeightConstraint constraint, long[] shape, double scale, long seed) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("l1 outside the ball", new L1Bound(0.5), new long[]{3, 4}, 1.0, 1),
                new Case("l1 with r = 0", new L1Bound(0), new long[]{5}, 1.0, 2),
                new Case("l2 outside the ball", new L2Bound(0.5), new long[]{4, 3}, 1.0, 3),
                new Case("nonneg", new NonNegativity(), new long[]{2, 3, 2}, 1.0, 4),
                new Case("orth, tall dense", new Orthogonality(), new long[]{5, 3}, 0.6, 5),
                new Case("orth, wide dense", new Orthogonality(), new long[]{3, 5}, 0.6, 6),
                new Case("orth, conv kernel [4,2,3,3]", new Orthogonality(), new long[]{4, 2, 3, 3}, 0.3, 7),
                new Case("orth, conv kernel with more outputs than fan-in [6,1,1,2]", new Orthogonality(),
                        new long[]{6, 1, 1, 2}, 0.6, 8));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        INDArray w = point(c.shape(), c.scale(), c.seed());
        assertTrue(c.constraint().value(w) > 0.1, "the point must violate the constraint, or the check is vacuous");
        double[] analytic = c.constraint().gradient(w).dup('c').data().asDouble();
        assertTrue(Arrays.stream(analytic).anyMatch(g -> Math.abs(g) > 1e-3), "the gradient must not vanish");
        double[] numeric = new double[analytic.length];
        double h = 1e-6;
        double[] flat = w.dup('c').data().asDouble();
        for (int i = 0; i < flat.length; i++) {
            double[] plus = flat.clone();
            double[] minus = flat.clone();
            plus[i] += h;
            minus[i] -= h;
            numeric[i] = (c.constraint().value(array(plus, c.shape())) - c.constraint().value(array(minus, c.shape())))
                    / (2 * h);
        }
        assertArrayEquals(numeric, analytic, 1e-6 * (1 + max(analytic)), c.label());
    }

    private static double max(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(0);
    }

    /** Seeded entries of magnitude in [0.2, 1.2]·scale with random signs: none near a kink at 0. */
    static INDArray point(long[] shape, double scale, long seed) {
        Random random = new Random(seed);
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextBoolean() ? 1 : -1) * (0.2 + random.nextDouble()) * scale;
        }
        return array(v, shape);
    }

    static INDArray array(double[] values, long[] shape) {
        return Nd4j.create(values, shape, 'c').castTo(DataType.DOUBLE);
    }
}
