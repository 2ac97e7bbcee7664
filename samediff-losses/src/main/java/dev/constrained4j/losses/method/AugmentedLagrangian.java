package dev.constrained4j.losses.method;

import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The augmented Lagrangian with one multiplier per training sample ({@code docs/methods.md}, "Per-sample augmented
 * Lagrangian"). For sample {@code i} with {@code g_i = c_i − B}, multiplier {@code λ_i} and penalty {@code ρ ≥ 0}:
 *
 * <pre>
 *   inequality (c_i ≤ B):  ψ(g, λ, ρ) = λg + ρg²/2     if λ + ρg ≥ 0   (i.e. g ≥ −λ/ρ)
 *                                     = −λ²/(2ρ)        otherwise        (Nocedal &amp; Wright, eq. 17.65)
 *                          λ_i ← min(λ_max, max(0, λ_i + η·g_i))
 *   equality   (c_i = B):  ψ(g, λ, ρ) = λg + ρg²/2,     λ_i ← λ_i + η·g_i
 * </pre>
 *
 * The batch objective is {@code (1/b) Σ_i [ℓ_i + ψ(g_i, λ_i, ρ)]}; its derivative weights are
 * {@code w_i = ∂ψ/∂g = max(0, λ_i + ρ·g_i)} (inequality) or {@code λ_i + ρ·g_i} (equality), with scale 1. With
 * {@code ρ = 0} the inequality term is the plain Lagrangian {@code λg} (the case split is never evaluated, so no
 * {@code 0/0} arises). The dual step moves the multipliers of the batch's samples with the constraint values of
 * the forward pass. {@code ρ} in epoch {@code e} comes from a {@link PenaltySchedule} (constant or grown); the dual
 * step size {@code η} is a fixed value or, by default, the current {@code ρ}. The multipliers of inequalities may be
 * bounded by {@code λ_max} (infinite by default): the safeguard of Birgin &amp; Martínez's augmented Lagrangian
 * (ALGENCAN), which keeps the multipliers of samples that cannot be satisfied from growing without bound.
 *
 * <p>Multipliers are stored as floats in a {@link MultiplierStore} (4 bytes per sample); the update is computed in
 * double and rounded once. The state: epoch, ρ, the number of dual steps, and the multipliers.
 */
public final class AugmentedLagrangian implements ConstrainedMethod {

    /** Which kind of constraint {@code c_i} against {@code B} is. */
    public enum Kind {
        /** {@code c_i ≤ B}: multipliers stay non-negative. */
        INEQUALITY,
        /** {@code c_i = B}: multipliers of either sign. */
        EQUALITY
    }

    private final PenaltySchedule rhoSchedule;
    private final double dualLearningRate;
    private final double bound;
    private final Kind kind;
    private final MultiplierStore multipliers;
    private final double maxMultiplier;
    private int epoch = -1;
    private double rho;
    private long dualSteps;

    /**
     * @param rhoSchedule      ρ per epoch ({@link PenaltySchedule#constant} for a fixed ρ); ρ = 0 is allowed
     * @param dualLearningRate η of the dual step, or NaN for "the current ρ"
     * @param bound            the bound B
     * @param multipliers      one multiplier per training sample, initial values as they are (usually 0)
     */
    public AugmentedLagrangian(PenaltySchedule rhoSchedule, double dualLearningRate, double bound, Kind kind,
                               MultiplierStore multipliers) {
        this(rhoSchedule, dualLearningRate, bound, kind, multipliers, Double.POSITIVE_INFINITY);
    }

    /**
     * @param maxMultiplier λ_max: inequality multipliers are kept in {@code [0, λ_max]} (infinite: unbounded);
     *                      ignored for equalities
     */
    public AugmentedLagrangian(PenaltySchedule rhoSchedule, double dualLearningRate, double bound, Kind kind,
                               MultiplierStore multipliers, double maxMultiplier) {
        this.rhoSchedule = Objects.requireNonNull(rhoSchedule, "rhoSchedule");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.multipliers = Objects.requireNonNull(multipliers, "multipliers");
        if (!Double.isNaN(dualLearningRate) && !(dualLearningRate >= 0 && Double.isFinite(dualLearningRate))) {
            throw new IllegalArgumentException("the dual learning rate must be a finite number >= 0 (or NaN for ρ),"
                    + " got " + dualLearningRate);
        }
        if (!Double.isFinite(bound)) {
            throw new IllegalArgumentException("bound must be finite, got " + bound);
        }
        if (!(maxMultiplier > 0)) {
            throw new IllegalArgumentException("the largest multiplier must be > 0 (infinite for none), got "
                    + maxMultiplier);
        }
        this.dualLearningRate = dualLearningRate;
        this.maxMultiplier = maxMultiplier;
        this.bound = bound;
        this.rho = rhoSchedule.valueAt(0);
    }

    /** ψ(g, λ, ρ) of one constraint. */
    public static double psi(double g, double lambda, double rho, Kind kind) {
        if (kind == Kind.EQUALITY || rho == 0) {
            return lambda * g + 0.5 * rho * g * g;
        }
        return lambda + rho * g >= 0 ? lambda * g + 0.5 * rho * g * g : -lambda * lambda / (2 * rho);
    }

    /** ∂ψ/∂g of one constraint. */
    public static double psiSlope(double g, double lambda, double rho, Kind kind) {
        double s = lambda + rho * g;
        return kind == Kind.EQUALITY || rho == 0 ? s : Math.max(0.0, s);
    }

    /** The multipliers (live). */
    public MultiplierStore multipliers() {
        return multipliers;
    }

    /** ρ of the current epoch. */
    public double rho() {
        return rho;
    }

    /** The dual step size in use: the configured η, or ρ. */
    public double dualStepSize() {
        return Double.isNaN(dualLearningRate) ? rho : dualLearningRate;
    }

    @Override
    public String name() {
        return "alm";
    }

    @Override
    public void beginEpoch(int newEpoch) {
        epoch = newEpoch;
        rho = rhoSchedule.valueAt(newEpoch);
    }

    @Override
    public BatchTerms terms(SampleBatch batch) {
        int b = batch.size();
        long[] idx = batch.indices();
        double[] losses = batch.losses();
        double[] c = batch.constraints();
        double[] w = batch.weights();
        double total = 0;
        for (int i = 0; i < b; i++) {
            double g = c[i] - bound;
            double lambda = multipliers.get(idx[i]);
            total += losses[i] + psi(g, lambda, rho, kind);
            w[i] = psiSlope(g, lambda, rho, kind);
        }
        return new BatchTerms(total / b, 1.0, 1.0);
    }

    @Override
    public void dualStep(SampleBatch batch) {
        int b = batch.size();
        long[] idx = batch.indices();
        double[] c = batch.constraints();
        double eta = dualStepSize();
        for (int i = 0; i < b; i++) {
            double updated = multipliers.get(idx[i]) + eta * (c[i] - bound);
            multipliers.set(idx[i], (float) (kind == Kind.INEQUALITY
                    ? Math.min(maxMultiplier, Math.max(0.0, updated)) : updated));
        }
        dualSteps++;
    }

    @Override
    public double sampleObjective(long index, double loss, double constraint) {
        return loss + psi(constraint - bound, multipliers.get(index), rho, kind);
    }

    /** {@inheritDoc} ρ. */
    @Override
    public double coefficient() {
        return rho;
    }

    @Override
    public Map<String, Double> statistics() {
        return MultiplierStatistics.of(multipliers);
    }

    @Override
    public MethodState state() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("epoch", (double) epoch);
        scalars.put("rho", rho);
        scalars.put("dualSteps", (double) dualSteps);
        return new MethodState(name(), scalars, multipliers);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        if (state.multipliers() == null || state.multipliers().size() != multipliers.size()) {
            throw new IllegalArgumentException("the state holds "
                    + (state.multipliers() == null ? "no" : String.valueOf(state.multipliers().size()))
                    + " multipliers; this method has " + multipliers.size());
        }
        epoch = (int) state.scalar("epoch");
        rho = state.scalar("rho");
        dualSteps = (long) state.scalar("dualSteps");
        if (state.multipliers() != multipliers) {
            multipliers.copyFrom(state.multipliers());
        }
    }
}
