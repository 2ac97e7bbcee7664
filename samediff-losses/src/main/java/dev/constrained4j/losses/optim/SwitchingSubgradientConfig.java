package dev.constrained4j.losses.optim;

/**
 * Hyper-parameters of {@link SwitchingSubgradient}; {@link #seed()} has the values of the seed paper's fairness
 * experiment.
 *
 * @param objectiveStep  η^f, the step size of an objective step
 * @param constraintStep η^c, the step size of a constraint step
 * @param firstTolerance ε_1, the infeasibility tolerance of the first iteration ({@code ε_k = ε_{k−1}/√k} after)
 */
public record SwitchingSubgradientConfig(double objectiveStep, double constraintStep, double firstTolerance) {

    public SwitchingSubgradientConfig {
        requirePositive("objectiveStep", objectiveStep);
        requirePositive("constraintStep", constraintStep);
        if (!(firstTolerance >= 0) || Double.isInfinite(firstTolerance)) {
            throw new IllegalArgumentException("the switching subgradient's firstTolerance must be a finite number >= 0,"
                    + " got " + firstTolerance);
        }
    }

    /** η^f = η^c = 0.01, ε_1 = 0.1 (the seed paper's settings). */
    public static SwitchingSubgradientConfig seed() {
        return new SwitchingSubgradientConfig(0.01, 0.01, 0.1);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("the switching subgradient's " + name + " must be a finite number > 0,"
                    + " got " + value);
        }
    }
}
