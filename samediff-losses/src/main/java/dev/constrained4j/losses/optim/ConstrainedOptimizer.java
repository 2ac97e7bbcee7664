package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.method.StatefulMethod;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimiser for {@code min f(x) s.t. C_j(x) ≤ 0, j = 1..m}, where {@code f} and the {@code C_j} are expectations
 * estimated on batches ({@code docs/methods.md}, "Constrained optimisers"). It owns both the primal update of the
 * model's parameters and the dual state (multipliers, tolerances), and it never sees the model: the caller computes
 * constraint values and gradients, the optimiser says which combination of gradients it needs and applies it.
 *
 * <p><b>Call order</b> of one iteration {@code k} at parameters {@code x_k}:
 * <ol>
 *   <li>sample a batch {@code ξ} (the objective's) and, if {@link #needsSecondSample()}, an independent constraint
 *       batch {@code ζ₂}; compute {@code c¹ = C(x_k; ξ)} (the constraints on the objective's batch, used for the
 *       constraint gradient: {@code ζ₁ = ξ}) and {@code c² = C(x_k; ζ₂)};</li>
 *   <li>{@link #dualStep(double[])} with {@code c¹};</li>
 *   <li>{@link #direction(double[], double[], double[])}: the weight {@code a} of {@code ∇f(x_k; ξ)} and the weights
 *       {@code v_j} of {@code ∇C_j(x_k; ξ)} (pure);</li>
 *   <li>the caller computes {@code a·∇f + Σ_j v_j ∇C_j} on {@code ξ} (one backward pass);</li>
 *   <li>{@link #step(Map, Map)} with that gradient updates the parameters in place.</li>
 * </ol>
 * {@link #beginEpoch} and {@link #endEpoch} frame each epoch ({@link #recordObjective} just before the latter); {@link #state()} (the dual state) and
 * {@link #writePrimal}/{@link #readPrimal} (auxiliary primal variables, optimiser moments) together hold everything
 * needed to continue bit for bit. Constraint values use the sign convention {@code C_j ≤ 0} = satisfied.
 */
public interface ConstrainedOptimizer extends StatefulMethod {

    /** The number of constraint functions {@code m}. */
    int constraints();

    /** Whether {@link #direction} needs {@code c²}, an estimate on a second, independent batch. */
    default boolean needsSecondSample() {
        return false;
    }

    /** Called before the first iteration of the 0-based {@code epoch}. */
    default void beginEpoch(int epoch) {
    }

    /** The dual update with the constraint values {@code c¹} of this iteration's batch, at {@code x_k}. */
    void dualStep(double[] constraints);

    /**
     * The gradient combination the primal step needs: writes {@code v_j} into {@code constraintWeights} and returns
     * {@code a}, for the gradient {@code a·∇f(x_k; ξ) + Σ_j v_j ∇C_j(x_k; ξ)}.
     *
     * @param constraints the values {@code c¹} on the objective's batch
     * @param second      the values {@code c²} on the second batch, or null unless {@link #needsSecondSample()}
     */
    double direction(double[] constraints, double[] second, double[] constraintWeights);

    /** The primal update with the gradient asked for by {@link #direction}; parameters change in place. */
    void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients);

    /**
     * The mean of the epoch's batch objectives {@code f(x_k; ξ)}, given after its last iteration and before
     * {@link #endEpoch} (SAL's termination test uses it); ignored by default.
     */
    default void recordObjective(double meanObjective) {
    }

    /** Called after the last iteration of {@code epoch}. */
    default void endEpoch(int epoch) {
    }

    /** A copy of the multipliers {@code y_j} (empty for a method without multipliers). */
    double[] multipliers();

    /** Writes the primal auxiliary state (e.g. SSL-ALM's {@code z}, Adam's moments); nothing by default. */
    default void writePrimal(DataOutputStream out) throws IOException {
    }

    /** Reads what {@link #writePrimal} wrote. */
    default void readPrimal(DataInputStream in) throws IOException {
    }
}
