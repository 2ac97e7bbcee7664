package dev.constrained4j.losses.method;

/**
 * What a {@link ConstrainedMethod} makes of a {@link SampleBatch}: the batch objective
 * {@code L = (1/b) Σ_i [ℓ_i + Ψ_i(c_i)]} and the factors of its derivatives,
 *
 * <pre>  ∂L/∂ℓ_i = lossScale / b,    ∂L/∂c_i = constraintScale · w_i / b</pre>
 *
 * with the per-sample weights {@code w_i} in {@link SampleBatch#weights()}. The split of {@code ∂L/∂c_i} into a
 * scalar and per-sample weights lets a SameDiff graph take the scalar as its coefficient placeholder τ and the
 * weights as a {@code [b, 1]} placeholder, and lets a fused engine compute {@code constraintScale · w_i / b} in
 * the order the sequential penalty always used (bit for bit).
 *
 * @param objective       the batch objective {@code L} (a mean over the batch, never a sum)
 * @param lossScale       {@code b · ∂L/∂ℓ_i}, the same for every sample (1 for every method here)
 * @param constraintScale the scalar factor of {@code b · ∂L/∂c_i}; 0 when the constraint does not enter
 */
public record BatchTerms(double objective, double lossScale, double constraintScale) {

    /** Whether the constraint values receive any gradient (false: the engine may skip their backward pass). */
    public boolean constraintActive() {
        return constraintScale != 0;
    }
}
