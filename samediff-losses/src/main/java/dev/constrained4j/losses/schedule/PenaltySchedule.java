package dev.constrained4j.losses.schedule;

/**
 * The penalty coefficient of the sequential penalty method as a function of the (0-based) epoch:
 * {@code τ} starts at {@link #start()} and is multiplied by {@link #factor()} at the start of every
 * {@link #everyEpochs()}-th epoch after the first, never exceeding {@link #cap()}.
 *
 * <p>This one rule reproduces both experiments of the reference (seed 000/001):
 * <ul>
 *   <li>MNIST: {@code τ_{k+1} = min(γ τ_k, τ_max)} once per epoch, i.e. {@code everyEpochs = 1}, so the
 *       coefficient used in epoch {@code e} is {@code min(100 · 1.01^e, 1e4)};</li>
 *   <li>HiDDeN: {@code --penalty 0.1 1.1 10}: with 1-based epoch numbers {@code n}, τ is multiplied when
 *       {@code n > 1} and {@code n % 10 == 0}, capped at 500.</li>
 * </ul>
 * The value is a pure function of the epoch, so a resumed run uses exactly the coefficients of an
 * uninterrupted one. It is computed by repeated multiplication, as the reference does.
 */
public record PenaltySchedule(double start, double factor, int everyEpochs, double cap) {

    /** The HiDDeN reference's cap on τ. */
    public static final double HIDDEN_CAP = 500.0;
    /** The MNIST reference's cap on τ. */
    public static final double MNIST_CAP = 1e4;

    public PenaltySchedule {
        if (!Double.isFinite(start) || start < 0) {
            throw new IllegalArgumentException("penalty start must be a finite number >= 0, got " + start);
        }
        if (!Double.isFinite(factor) || factor < 1) {
            throw new IllegalArgumentException("penalty growth factor must be a finite number >= 1, got " + factor);
        }
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("penalty growth period (epochs) must be >= 1, got " + everyEpochs);
        }
        if (Double.isNaN(cap) || cap < start) {
            throw new IllegalArgumentException("penalty cap must be >= the start value " + start + ", got " + cap);
        }
    }

    /** A coefficient that never changes (the fixed-penalty baseline). */
    public static PenaltySchedule constant(double value) {
        return new PenaltySchedule(value, 1.0, 1, value);
    }

    /** How many times τ has been multiplied by the start of the 0-based epoch {@code epoch}. */
    public int growthsBefore(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        // 1-based epoch numbers 2..epoch+1 that are multiples of everyEpochs
        int upTo = epoch + 1;
        return upTo / everyEpochs - 1 / everyEpochs;
    }

    /** The coefficient used during the 0-based epoch {@code epoch}. */
    public double valueAt(int epoch) {
        double tau = start;
        int n = growthsBefore(epoch);
        for (int i = 0; i < n && tau < cap; i++) {
            tau = Math.min(tau * factor, cap);
        }
        return tau;
    }
}
