package dev.constrained4j.runners.engine;

import java.util.Map;
import java.util.Set;

/**
 * Stops a run whose objective or whose required metrics are not finite. Immutable; metrics outside
 * {@code requiredFinite} may be NaN ("not applicable").
 */
public record DivergenceCheck(Set<String> requiredFinite) {

    public DivergenceCheck {
        requiredFinite = Set.copyOf(requiredFinite);
    }

    /**
     * @throws DivergenceException naming the stage, epoch and value when something is not finite
     */
    public void check(String mode, int epoch, double objective, Map<String, Double> metrics) {
        if (!Double.isFinite(objective)) {
            throw new DivergenceException(String.format(
                    "%s epoch %d: the training objective is %s; the run stopped with the checkpoint of the last good"
                            + " epoch (lower the learning rate or the penalty coefficient and resume)", mode, epoch, objective));
        }
        for (String key : requiredFinite) {
            Double v = metrics.get(key);
            if (v == null || !Double.isFinite(v)) {
                throw new DivergenceException(String.format(
                        "%s epoch %d: metric %s is %s; the run stopped with the checkpoint of the last good epoch",
                        mode, epoch, key, v));
            }
        }
    }
}
