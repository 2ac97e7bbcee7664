package dev.constrained4j.losses.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The unconstrained optimiser inside a weight-constrained method ({@link FixedWeightPenalty},
 * {@link StochasticAugmentedLagrangian}): one step on named parameter arrays, in place, with the learning rate the
 * method chooses for this step (SAL resets and decays it). {@link SgdOptimizer} is the one in this module; the
 * runner adapts the project's Adam to it. Its state (e.g. Adam's moments) is written with the method's primal state.
 */
public interface PrimalOptimizer {

    /**
     * One step on every parameter with a gradient in {@code gradients}; parameters change in place.
     *
     * @throws IllegalArgumentException for a gradient of an unknown parameter
     */
    void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double learningRate);

    /** Writes the optimiser's state; nothing for a stateless one. */
    default void write(DataOutputStream out) throws IOException {
    }

    /** Reads what {@link #write} wrote. */
    default void read(DataInputStream in) throws IOException {
    }
}
