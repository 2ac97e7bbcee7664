package dev.constrained4j.runners.engine;

import java.util.Map;
import java.util.Set;

/**
 * Stops a run whose objective or whose required metrics are not finite. Immutable; metrics outside
 * {@code requiredFinite} may be NaN ("not applicable").
 */
public record DivergenceCheck(Set<String> requiredFinite) {

    /**
     * What a diverged run keeps and what to do: a resume would train the same epochs with the same settings again,
     * so the fix is a new run with a smaller step.
     */
    private static final String FIX = "it stopped before writing that epoch, keeping the checkpoints of the epochs"
            + " before it; start a new run with a smaller learning rate or penalty coefficient";

    public DivergenceCheck {
        requiredFinite = Set.copyOf(requiredFinite);
    }

    /**
     * @throws DivergenceException naming the stage, epoch and value when something is not finite
     */
    public void check(String mode, int epoch, double objective, Map<String, Double> metrics) {
        if (!Double.isFinite(objective)) {
            throw new DivergenceException(String.format(
                    "%s epoch %d: the training objective is %s, the run diverged; %s", mode, epoch, objective, FIX));
        }
        for (String key : requiredFinite) {
            Double v = metrics.get(key);
            if (v == null || !Double.isFinite(v)) {
                throw new DivergenceException(String.format(
                        "%s epoch %d: metric %s is %s, the run diverged; %s", mode, epoch, key, v, FIX));
            }
        }
    }
}
