package dev.constrained4j.losses.optim;

/**
 * Hyper-parameters of {@link SslAlm}; {@link #seed()} has the values of the seed paper's fairness experiment.
 *
 * @param mu            μ, the weight of the proximal term {@code (μ/2)‖x − z‖²}
 * @param rho           ρ, the penalty coefficient of the augmented Lagrangian
 * @param tau           τ, the primal step size
 * @param eta           η, the dual step size
 * @param beta          β, the smoothing rate of {@code z} (in (0, 1])
 * @param maxMultiplier M_y, the multipliers are kept in {@code [0, M_y]}
 */
public record SslAlmConfig(double mu, double rho, double tau, double eta, double beta, double maxMultiplier) {

    public SslAlmConfig {
        requireAtLeast("mu", mu, 0);
        requireAtLeast("rho", rho, 0);
        requirePositive("tau", tau);
        requireAtLeast("eta", eta, 0);
        requirePositive("beta", beta);
        if (beta > 1) {
            throw new IllegalArgumentException("SSL-ALM's beta must be in (0, 1], got " + beta);
        }
        requirePositive("maxMultiplier", maxMultiplier);
    }

    /** μ = 2, ρ = 1, τ = 0.05, η = 0.1, β = 0.5, M_y = 100 (the seed paper's settings). */
    public static SslAlmConfig seed() {
        return new SslAlmConfig(2.0, 1.0, 0.05, 0.1, 0.5, 100);
    }

    private static void requireAtLeast(String name, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("SSL-ALM's " + name + " must be a finite number >= " + min + ", got "
                    + value);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("SSL-ALM's " + name + " must be a finite number > 0, got " + value);
        }
    }
}
