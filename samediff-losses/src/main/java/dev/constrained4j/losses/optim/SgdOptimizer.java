package dev.constrained4j.losses.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Plain stochastic gradient descent, {@code w ← w − lr·g}; stateless. */
public final class SgdOptimizer implements PrimalOptimizer {

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("SGD's learning rate must be a finite number > 0, got " + learningRate);
        }
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray w = parameters.get(e.getKey());
            if (w == null) {
                throw new IllegalArgumentException("gradient for unknown parameter '" + e.getKey() + "'");
            }
            INDArray g = e.getValue();
            if (g.length() != w.length()) {
                throw new IllegalArgumentException("gradient of '" + e.getKey() + "' has " + g.length()
                        + " values, the parameter " + w.length());
            }
            w.subi(g.castTo(w.dataType()).reshape(w.shape()).mul(learningRate));
        }
    }
}
