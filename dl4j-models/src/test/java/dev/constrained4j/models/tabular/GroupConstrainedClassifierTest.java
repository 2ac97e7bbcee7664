package dev.constrained4j.models.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.constrained4j.losses.group.GroupRateConstraints;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of {@code a·f + Σ_j v_j C_j} (mean BCE plus weighted group positive-rate constraints) against
 * central differences of the forward pass over every parameter, in double precision.
 */
class GroupConstrainedClassifierTest {

    @Test
    void gradientMatchesCentralDifferences() {
        TabularMlp mlp = new TabularMlp(new int[]{4, 6, 3, 1}, 9, DataType.DOUBLE);
        GroupConstrainedClassifier model = new GroupConstrainedClassifier(mlp, new GroupRateConstraints(3, 0.05));
        SplittableRandom random = new SplittableRandom(2);
        int n = 12;
        double[] x = new double[n * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        int[] rows = new int[n];
        int[] labels = new int[n];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = n - 1 - i;
            labels[i] = random.nextInt(2);
            groups[i] = i % 3;
        }
        double a = 0.7;
        double[] v = {0.3, -0.2, 1.1, 0.0, 0.5, 2.0};
        double[] values = new double[6];
        model.forward(x, rows, labels, groups, values);
        model.backward(a, v);
        INDArray params = mlp.flatParameters();
        double[] analytic = mlp.flatGradients().toDoubleVector();
        double h = 1e-6;
        for (int k = 0; k < params.length(); k++) {
            double original = params.getDouble(k);
            params.putScalar(k, original + h);
            double up = objective(model, x, rows, labels, groups, a, v);
            params.putScalar(k, original - h);
            double down = objective(model, x, rows, labels, groups, a, v);
            params.putScalar(k, original);
            assertEquals((up - down) / (2 * h), analytic[k], 1e-7, "parameter " + k);
        }
    }

    private static double objective(GroupConstrainedClassifier model, double[] x, int[] rows, int[] labels,
                                    int[] groups, double a, double[] v) {
        double[] values = new double[v.length];
        double f = model.forward(x, rows, labels, groups, values);
        double sum = a * f;
        for (int j = 0; j < v.length; j++) {
            sum += v[j] * values[j];
        }
        return sum;
    }

    @Test
    void bceIsStableForLargeLogits() {
        assertEquals(0.0, GroupConstrainedClassifier.bce(800, 1), 1e-300);
        assertEquals(800.0, GroupConstrainedClassifier.bce(800, 0), 1e-9);
        assertEquals(Math.log(2), GroupConstrainedClassifier.bce(0, 1), 1e-15);
        assertEquals(1.0, GroupConstrainedClassifier.sigmoid(800));
        assertEquals(0.0, GroupConstrainedClassifier.sigmoid(-800), 1e-300);
    }
}
