package dev.constrained4j.models.hidden;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam exactly as PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad), applied in place to a set
 * of named parameter arrays (SPEC §4: lr 1e-4, β = (0.9, 0.999), ε = 1e-8):
 *
 * <pre>  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)</pre>
 *
 * ND4J's own Adam puts ε inside the bias correction differently, so it is not used. The state (moments and the
 * step count {@code t}) is exposed for checkpoints.
 */
public final class AdamOptimizer {

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private final double learningRate;
    private final Map<String, INDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, INDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    public AdamOptimizer(double learningRate) {
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** One step on every parameter in {@code gradients}; parameters are updated in place. */
    public void step(Map<String, INDArray> params, Map<String, INDArray> gradients) {
        step++;
        double bias1 = 1 - Math.pow(BETA1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(BETA2, step));
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("gradient for unknown parameter '" + e.getKey() + "'");
            }
            INDArray g = e.getValue().castTo(p.dataType()).reshape(p.shape());
            INDArray m = firstMoments.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            INDArray v = secondMoments.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
            INDArray denominator = Transforms.sqrt(v, true).divi(bias2Sqrt).addi(EPSILON);
            p.subi(m.div(denominator).muli(learningRate / bias1));
        }
    }

    /** Number of steps taken. */
    public long stepCount() {
        return step;
    }

    /** The state as named arrays ({@code m/<param>}, {@code v/<param>}), not copied. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        firstMoments.forEach((k, v) -> s.put("m/" + k, v));
        secondMoments.forEach((k, v) -> s.put("v/" + k, v));
        return s;
    }

    /** Restores a state written by {@link #state()} and {@link #stepCount()}. */
    public void restore(Map<String, INDArray> state, long stepCount) {
        firstMoments.clear();
        secondMoments.clear();
        state.forEach((k, v) -> {
            if (k.startsWith("m/")) {
                firstMoments.put(k.substring(2), v);
            } else if (k.startsWith("v/")) {
                secondMoments.put(k.substring(2), v);
            } else {
                throw new IllegalArgumentException("unknown Adam state entry '" + k + "'");
            }
        });
        this.step = stepCount;
    }
}
