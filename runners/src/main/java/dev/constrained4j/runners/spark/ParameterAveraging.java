package dev.constrained4j.runners.spark;

import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.runners.mnist.FusedMnistModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronous parameter averaging (as DL4J's {@code ParameterAveragingTrainingMaster}, with its updater state): the
 * driver's model and Adam become the weighted mean of the replicas' after a round,
 *
 * <pre>  θ ← Σ_p (n_p / Σ n) · θ_p,   m ← Σ_p (n_p / Σ n) · m_p,   v ← Σ_p (n_p / Σ n) · v_p,   t ← max_p t_p</pre>
 *
 * with {@code n_p} the samples replica {@code p} trained on in the round (replicas with none left out), in double
 * and rounded once to float. With one replica the weight is exactly 1 and the result is its values bit for bit. As
 * Adam does, values below {@value #FLUSH} in magnitude are stored as zero (a mean of two tiny values can be subnormal).
 */
final class ParameterAveraging {

    /** AdamOptimizer's flush-to-zero threshold. */
    static final float FLUSH = 1e-30f;

    private ParameterAveraging() {
    }

    /**
     * Sets {@code model} and {@code optimizer} to the weighted mean of the replicas.
     *
     * @return the number of samples the replicas trained on
     */
    static long average(List<Replica> replicas, FusedMnistModel model, AdamOptimizer optimizer) {
        long total = 0;
        for (Replica r : replicas) {
            total += r.samples();
        }
        if (total == 0) {
            return 0;
        }
        double[] params = null;
        Map<String, double[]> moments = new LinkedHashMap<>();
        long steps = 0;
        for (Replica r : replicas) {
            if (r.samples() == 0) {
                continue;
            }
            double weight = r.samples() / (double) total;
            params = accumulate(params, r.weights().parameters(), weight);
            for (Map.Entry<String, float[]> e : r.weights().moments().entrySet()) {
                moments.put(e.getKey(), accumulate(moments.get(e.getKey()), e.getValue(), weight));
            }
            steps = Math.max(steps, r.weights().steps());
        }
        LinkedHashMap<String, float[]> mean = new LinkedHashMap<>();
        moments.forEach((k, v) -> mean.put(k, round(v)));
        new ReplicaWeights(round(params), mean, steps).into(model, optimizer);
        return total;
    }

    private static double[] accumulate(double[] sum, float[] values, double weight) {
        if (sum == null) {
            sum = new double[values.length];
        }
        for (int i = 0; i < values.length; i++) {
            sum[i] += weight * values[i];
        }
        return sum;
    }

    private static float[] round(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            float f = (float) values[i];
            out[i] = Math.abs(f) < FLUSH ? 0f : f;
        }
        return out;
    }
}
