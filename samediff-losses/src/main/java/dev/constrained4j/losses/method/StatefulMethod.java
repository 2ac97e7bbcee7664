package dev.constrained4j.losses.method;

import java.util.Map;

/**
 * What the epoch loop needs of any constrained training method, whether it shapes the objective for a shared
 * optimiser ({@link ConstrainedMethod}) or takes its own primal steps ({@code losses.optim.ConstrainedOptimizer}):
 * a name, the coefficient and statistics recorded per epoch, and a state that is written first into every checkpoint
 * and restored on resume.
 */
public interface StatefulMethod {

    /** Short name, used in records (e.g. {@code penalty}, {@code alm}, {@code sslalm}). */
    String name();

    /** The scalar reported as the method's coefficient per epoch (τ, λ or ρ); NaN when it has none. */
    double coefficient();

    /**
     * Summary statistics of the method's state for the epoch's record (e.g. {@code dual_mean}, {@code dual_max} of
     * the multipliers); empty when there is nothing to summarise.
     */
    default Map<String, Double> statistics() {
        return Map.of();
    }

    /**
     * The method's whole dual state: its scalars copied, its multipliers the live store (write the state before the
     * next call that changes the method).
     */
    MethodState state();

    /**
     * Restores a state taken by {@link #state()} of a method of the same kind and size.
     *
     * @throws IllegalArgumentException if the state belongs to another method or another number of multipliers
     */
    void restore(MethodState state);
}
