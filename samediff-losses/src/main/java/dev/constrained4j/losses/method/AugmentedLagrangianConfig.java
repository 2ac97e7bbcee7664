package dev.constrained4j.losses.method;

import dev.constrained4j.losses.schedule.PenaltySchedule;

/**
 * Hyper-parameters of the per-sample {@link AugmentedLagrangian}: ρ in epoch {@code e} is
 * {@code min(rho · rhoGrowth^⌊…⌋, rhoCap)} by the rule of {@link PenaltySchedule} (multiplied at the start of every
 * {@code rhoEvery}-th epoch), and the dual step size η is {@code dualLearningRate}, or the current ρ when it is NaN.
 *
 * @param mapped        keep the multipliers in a memory-mapped file instead of on the Java heap (for training sets
 *                      whose 4 bytes per sample should not live there; the runner chooses the file)
 * @param maxMultiplier λ_max, the bound on every multiplier (infinite: none)
 */
public record AugmentedLagrangianConfig(double rho, double rhoGrowth, int rhoEvery, double rhoCap,
                                        double dualLearningRate, boolean mapped, double maxMultiplier) {

    /** Unbounded multipliers. */
    public AugmentedLagrangianConfig(double rho, double rhoGrowth, int rhoEvery, double rhoCap,
                                     double dualLearningRate, boolean mapped) {
        this(rho, rhoGrowth, rhoEvery, rhoCap, dualLearningRate, mapped, Double.POSITIVE_INFINITY);
    }

    public AugmentedLagrangianConfig {
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
        }
        if (!(rhoGrowth >= 1) || Double.isInfinite(rhoGrowth)) {
            throw new IllegalArgumentException("rhoGrowth must be a finite number >= 1, got " + rhoGrowth);
        }
        if (rhoEvery < 1) {
            throw new IllegalArgumentException("rhoEvery must be >= 1, got " + rhoEvery);
        }
        if (!(rhoCap >= rho)) {
            throw new IllegalArgumentException("rhoCap must be >= rho (" + rho + "), got " + rhoCap);
        }
        if (!Double.isNaN(dualLearningRate) && !(dualLearningRate >= 0 && Double.isFinite(dualLearningRate))) {
            throw new IllegalArgumentException("dualLearningRate must be a finite number >= 0, or NaN for ρ, got "
                    + dualLearningRate);
        }
        if (!(maxMultiplier > 0)) {
            throw new IllegalArgumentException("maxMultiplier must be > 0 (infinite for none), got " + maxMultiplier);
        }
    }

    /** A fixed ρ, η = ρ, multipliers on the heap. */
    public static AugmentedLagrangianConfig constant(double rho) {
        return new AugmentedLagrangianConfig(rho, 1.0, 1, rho, Double.NaN, false);
    }

    /** The schedule of ρ. */
    public PenaltySchedule rhoSchedule() {
        return new PenaltySchedule(rho, rhoGrowth, rhoEvery, rhoCap);
    }

    /** A copy with another ρ (start and cap moved together when the cap was the start). */
    public AugmentedLagrangianConfig withRho(double newRho) {
        return new AugmentedLagrangianConfig(newRho, rhoGrowth, rhoEvery, rhoCap == rho ? newRho : Math.max(rhoCap,
                newRho), dualLearningRate, mapped, maxMultiplier);
    }

    /** A copy with another ρ growth and cap. */
    public AugmentedLagrangianConfig withRhoGrowth(double growth, double cap) {
        return new AugmentedLagrangianConfig(rho, growth, rhoEvery, cap, dualLearningRate, mapped, maxMultiplier);
    }

    /** A copy with another dual step size (NaN: ρ). */
    public AugmentedLagrangianConfig withDualLearningRate(double eta) {
        return new AugmentedLagrangianConfig(rho, rhoGrowth, rhoEvery, rhoCap, eta, mapped, maxMultiplier);
    }

    /** A copy with the multipliers mapped to a file or on the heap. */
    public AugmentedLagrangianConfig withMapped(boolean newMapped) {
        return new AugmentedLagrangianConfig(rho, rhoGrowth, rhoEvery, rhoCap, dualLearningRate, newMapped,
                maxMultiplier);
    }

    /** A copy with another bound on the multipliers (infinite: none). */
    public AugmentedLagrangianConfig withMaxMultiplier(double max) {
        return new AugmentedLagrangianConfig(rho, rhoGrowth, rhoEvery, rhoCap, dualLearningRate, mapped, max);
    }

    /** The method over {@code multipliers}, for constraints {@code c_i ≤ bound}. */
    public AugmentedLagrangian inequality(double bound, MultiplierStore multipliers) {
        return new AugmentedLagrangian(rhoSchedule(), dualLearningRate, bound, AugmentedLagrangian.Kind.INEQUALITY,
                multipliers, maxMultiplier);
    }
}
