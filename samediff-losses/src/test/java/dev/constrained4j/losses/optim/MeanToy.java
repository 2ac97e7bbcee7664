package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A least-squares toy with a known answer for the weight-constrained optimisers: {@code F(w) = mean_i ½‖w − x_i‖²}
 * over seeded samples {@code x_i} around {@code m}, minimised at their mean {@code x̄}; under {@code ‖w‖₂ ≤ r < ‖x̄‖}
 * the solution is the projection {@code r·x̄/‖x̄‖} (F is ½‖w − x̄‖² plus a constant). Batches are fixed,
 * consecutive rows. {@link #epoch} drives one epoch in the {@link ConstrainedOptimizer} call order.
 */
final class MeanToy {

    static final String PARAMETER = "w";

    final double[][] samples;
    final int batchSize;

    MeanToy(double[] centre, int n, double noise, int batchSize, long seed) {
        Random random = new Random(seed);
        samples = new double[n][centre.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < centre.length; j++) {
                samples[i][j] = centre[j] + noise * random.nextGaussian();
            }
        }
        this.batchSize = batchSize;
    }

    double[] mean() {
        double[] m = new double[samples[0].length];
        for (double[] x : samples) {
            for (int j = 0; j < m.length; j++) {
                m[j] += x[j] / samples.length;
            }
        }
        return m;
    }

    /** The solution under ‖w‖₂ ≤ r. */
    double[] projectedSolution(double r) {
        double[] m = mean();
        double norm = Math.sqrt(java.util.Arrays.stream(m).map(v -> v * v).sum());
        double[] w = m.clone();
        for (int j = 0; j < w.length; j++) {
            w[j] *= Math.min(1.0, r / norm);
        }
        return w;
    }

    Map<String, INDArray> start(double... w) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put(PARAMETER, Nd4j.createFromArray(w.clone()));
        return p;
    }

    /**
     * One epoch: per batch {@code dualStep}, {@code direction}, {@code a·∇F + Σ v_i ∇C_i}, {@code step}; then, for
     * SAL, the mean batch objective. Returns that mean.
     */
    double epoch(ConstrainedOptimizer opt, WeightConstraintSet set, Map<String, INDArray> params, int epoch) {
        opt.beginEpoch(epoch);
        double objectiveSum = 0;
        int batches = 0;
        for (int start = 0; start < samples.length; start += batchSize) {
            int end = Math.min(samples.length, start + batchSize);
            double[] w = params.get(PARAMETER).toDoubleVector();
            double[] grad = new double[w.length];
            double objective = 0;
            for (int i = start; i < end; i++) {
                for (int j = 0; j < w.length; j++) {
                    double d = w[j] - samples[i][j];
                    grad[j] += d / (end - start);
                    objective += 0.5 * d * d / (end - start);
                }
            }
            double[] c = set.values(params);
            opt.dualStep(c);
            double[] v = new double[c.length];
            double a = opt.direction(c, null, v);
            for (int j = 0; j < grad.length; j++) {
                grad[j] *= a;
            }
            Map<String, INDArray> grads = new LinkedHashMap<>();
            grads.put(PARAMETER, Nd4j.createFromArray(grad));
            set.accumulateGradient(params, v, grads);
            opt.step(params, grads);
            objectiveSum += objective;
            batches++;
        }
        double mean = objectiveSum / batches;
        if (opt instanceof StochasticAugmentedLagrangian sal) {
            sal.recordObjective(mean);
        }
        opt.endEpoch(epoch);
        return mean;
    }
}
