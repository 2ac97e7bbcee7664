package dev.constrained4j.runners.engine;

import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Observes every minibatch of training (live monitors); must be cheap when it has nothing to do. */
public interface IterationListener {

    /** A listener that does nothing. */
    IterationListener NONE = (mode, epoch, objective, batchSize, parameters) -> { };

    /**
     * Called after each optimiser step.
     *
     * @param objective  the minibatch objective
     * @param parameters the current parameters, keyed {@code <layer>_W}/{@code <layer>_b}; call only when needed
     */
    void onIteration(String mode, int epoch, double objective, int batchSize,
                     Supplier<Map<String, INDArray>> parameters);
}
