package dev.constrained4j.losses.optim;

/**
 * Hyper-parameters of {@link StochasticAugmentedLagrangian}, named as in seed 002's Algorithm 2 ("Require"). The
 * paper gives no values; {@link #defaults()} are ours. Copy with the {@code withX} methods rather than re-listing.
 *
 * @param updateTolerance      η > 0, the sufficient-decrease factor of the acceptance test
 *                             {@code ‖C‖² ≤ η‖C_best‖²}
 * @param objectiveTolerance   ε_f ≥ 0, terminate when {@code F ≤ ε_f} (with the test on {@code C}); infinity skips
 *                             the test on {@code F}, and then no objective need be recorded
 * @param constraintTolerance  ε_c ≥ 0, terminate when {@code ‖C‖² ≤ ε_c} (with the test on {@code F})
 * @param initialPenalty       μ_init > 0; each shuffle starts at {@code μ_0 = (shuffle + 1)·μ_init}
 * @param penaltyFactor        σ ≥ 1, the penalty's increase on a rejected iteration
 * @param maxPenalty           μ_max > 0, the safeguard of that increase
 * @param shuffles             n_shuffle ≥ 1, the number of shuffles of the training set (outer loop)
 * @param iterationsPerShuffle n_aug-Lag ≥ 1, augmented-Lagrangian iterations per shuffle, each one epoch
 * @param learningRate         the inner optimiser's learning rate at the start of every iteration, > 0
 * @param learningRateDecay    γ ∈ (0, 1]: within an iteration the learning rate of step {@code t} (from 0) is
 *                             {@code lr·γ^t}; 1 for none
 */
public record StochasticAugmentedLagrangianConfig(double updateTolerance, double objectiveTolerance,
                                                  double constraintTolerance, double initialPenalty,
                                                  double penaltyFactor, double maxPenalty, int shuffles,
                                                  int iterationsPerShuffle, double learningRate,
                                                  double learningRateDecay) {

    public StochasticAugmentedLagrangianConfig {
        requirePositive("updateTolerance", updateTolerance);
        requireNonNegative("objectiveTolerance", objectiveTolerance);
        requireNonNegative("constraintTolerance", constraintTolerance);
        requirePositive("initialPenalty", initialPenalty);
        if (!(penaltyFactor >= 1) || Double.isInfinite(penaltyFactor)) {
            throw new IllegalArgumentException("SAL's penaltyFactor must be a finite number >= 1, got "
                    + penaltyFactor);
        }
        requirePositive("maxPenalty", maxPenalty);
        if (shuffles < 1) {
            throw new IllegalArgumentException("SAL's shuffles must be >= 1, got " + shuffles);
        }
        if (iterationsPerShuffle < 1) {
            throw new IllegalArgumentException("SAL's iterationsPerShuffle must be >= 1, got " + iterationsPerShuffle);
        }
        requirePositive("learningRate", learningRate);
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("SAL's learningRateDecay must be in (0, 1], got " + learningRateDecay);
        }
    }

    /**
     * η = 0.5, ε_f = 0, ε_c = 0 (run every iteration), μ_init = 1, σ = 2, μ_max = 100, 2 shuffles of 5 iterations,
     * learning rate 1e-3 without decay.
     */
    public static StochasticAugmentedLagrangianConfig defaults() {
        return new StochasticAugmentedLagrangianConfig(0.5, 0.0, 0.0, 1.0, 2.0, 100.0, 2, 5, 1e-3, 1.0);
    }

    /** The number of epochs of a run that does not terminate early: shuffles × iterations per shuffle. */
    public int epochs() {
        return Math.multiplyExact(shuffles, iterationsPerShuffle);
    }

    public StochasticAugmentedLagrangianConfig withTolerances(double eta, double epsilonF, double epsilonC) {
        return new StochasticAugmentedLagrangianConfig(eta, epsilonF, epsilonC, initialPenalty, penaltyFactor,
                maxPenalty, shuffles, iterationsPerShuffle, learningRate, learningRateDecay);
    }

    public StochasticAugmentedLagrangianConfig withPenalty(double initial, double factor, double max) {
        return new StochasticAugmentedLagrangianConfig(updateTolerance, objectiveTolerance, constraintTolerance,
                initial, factor, max, shuffles, iterationsPerShuffle, learningRate, learningRateDecay);
    }

    public StochasticAugmentedLagrangianConfig withSchedule(int shuffleCount, int iterations) {
        return new StochasticAugmentedLagrangianConfig(updateTolerance, objectiveTolerance, constraintTolerance,
                initialPenalty, penaltyFactor, maxPenalty, shuffleCount, iterations, learningRate, learningRateDecay);
    }

    public StochasticAugmentedLagrangianConfig withLearningRate(double rate, double decay) {
        return new StochasticAugmentedLagrangianConfig(updateTolerance, objectiveTolerance, constraintTolerance,
                initialPenalty, penaltyFactor, maxPenalty, shuffles, iterationsPerShuffle, rate, decay);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("SAL's " + name + " must be a finite number > 0, got " + value);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("SAL's " + name + " must be a number >= 0 (or infinity), got " + value);
        }
    }
}
