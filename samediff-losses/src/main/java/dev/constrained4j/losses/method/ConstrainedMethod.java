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
public interface ConstrainedMethod {

    /** Short name, used in records (e.g. {@code penalty}, {@code alm}). */
    String name();

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

    /** The scalar reported as the method's coefficient per epoch (τ, λ or ρ); NaN when it has none. */
    double coefficient();

    /** Whether the constraint enters the objective at all (false for the plain method). */
    default boolean usesConstraint() {
        return true;
    }

    /**
     * Summary statistics of the method's state for the epoch's record (e.g. {@code dual_mean}, {@code dual_max},
     * {@code dual_p90} of the multipliers); empty when there is nothing to summarise.
     */
    default Map<String, Double> statistics() {
        return Map.of();
    }

    /**
     * The method's whole state: its scalars copied, its multipliers the live store (write the state before the
     * next call that changes the method).
     */
    MethodState state();

    /**
     * Restores a state taken by {@link #state()} of a method of the same kind and size (multipliers are copied
     * into the method's own store unless the state already holds that store).
     *
     * @throws IllegalArgumentException if the state belongs to another method or another number of samples
     */
    void restore(MethodState state);
}
