package dev.constrained4j.losses.method;

import java.util.Map;

/**
 * A method for training under per-sample constraints {@code c_i ≤ B}: how a batch's objective terms and constraint
 * values become one objective and its derivatives, and how the method's own state (penalty coefficients,
 * multipliers, counters) moves. A model never knows which method trains it. Equations of every implementation:
 * {@code docs/methods.md}.
 *
 * <p><b>Call order</b>, driven by the training loop:
 * <ol>
 *   <li>{@link #beginEpoch(int)} with the 0-based epoch, before its first batch (schedules set τ or ρ here);</li>
 *   <li>per minibatch: the model's forward pass fills {@code ℓ_i}, {@code c_i} and the sample indices of a
 *       {@link SampleBatch}; {@link #terms} returns the objective and writes the weights of its derivatives
 *       (it changes no state); the model's backward pass and the optimiser's step follow; then
 *       {@link #dualStep} with the same batch (the constraint values are those of the forward pass, measured
 *       before the primal step);</li>
 *   <li>{@link #endEpoch(int)} after the epoch's last batch, before evaluation.</li>
 * </ol>
 * {@link #state()} may be called between any two of these calls and is written into every checkpoint;
 * {@link #restore} puts a method back where a state was taken, so that the remaining calls give bit for bit
 * what an uninterrupted run gives.
 *
 * <p><b>Averaging and signs</b>: the objective is the batch <em>mean</em> of {@code ℓ_i + Ψ_i(c_i)} (it does not
 * depend on the batch size); a sample is satisfied when {@code c_i ≤ B}; {@code g_i = c_i − B} is its
 * constraint function, positive when violated; multipliers of inequality constraints are {@code ≥ 0}.
 */
public interface ConstrainedMethod extends StatefulMethod {

    /** Called before the first batch of the 0-based {@code epoch}. */
    void beginEpoch(int epoch);

    /**
     * The batch objective and its derivative factors; writes {@code w_i} into {@code batch.weights()}. Pure: the
     * method's state does not change.
     */
    BatchTerms terms(SampleBatch batch);

    /** The dual step after the primal step of {@code batch}: multipliers of its samples move here. */
    default void dualStep(SampleBatch batch) {
    }

    /** Called after the last batch of {@code epoch}, before the epoch is evaluated. */
    default void endEpoch(int epoch) {
    }

    /**
     * The per-sample term {@code ℓ + Ψ(c)} of the objective for training sample {@code index} with the current
     * state (used to report the epoch's objective on the whole training set).
     */
    double sampleObjective(long index, double loss, double constraint);

    /** Whether the constraint enters the objective at all (false for the plain method). */
    default boolean usesConstraint() {
        return true;
    }
}
