package dev.constrained4j.losses.optim;

/**
 * Hyper-parameters of {@link StochasticAdmm}; {@link #defaults()} are ours (seed 002 gives none).
 *
 * @param rho       ρ > 0, the penalty of the split {@code θ = μ}
 * @param stepSize  η_0 > 0, the step size of the linearised θ-step
 * @param stepDecay p ∈ [0, 1]: {@code η_k = η_0/(k + 1)^p} at iteration {@code k} (from 0); 0 for a constant step,
 *                  0.5 for Ouyang et al.'s {@code O(1/√k)}
 */
public record StochasticAdmmConfig(double rho, double stepSize, double stepDecay) {

    public StochasticAdmmConfig {
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("S-ADMM's rho must be a finite number > 0, got " + rho);
        }
        if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException("S-ADMM's stepSize must be a finite number > 0, got " + stepSize);
        }
        if (!(stepDecay >= 0 && stepDecay <= 1)) {
            throw new IllegalArgumentException("S-ADMM's stepDecay must be in [0, 1], got " + stepDecay);
        }
    }

    /** ρ = 1, η_0 = 0.01, constant step. */
    public static StochasticAdmmConfig defaults() {
        return new StochasticAdmmConfig(1.0, 0.01, 0.0);
    }

    /** η_k for iteration {@code k ≥ 0}. */
    public double stepSize(long k) {
        return stepDecay == 0 ? stepSize : stepSize / Math.pow(k + 1.0, stepDecay);
    }
}
