package dev.constrained4j.losses.method;

import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The methods with one coefficient shared by all samples (seed 000/001; {@code docs/methods.md}, "Penalty
 * methods"): {@code Ψ_i = τ_e · φ(c_i)} with {@code τ_e} the schedule's value in epoch {@code e}.
 * <ul>
 *   <li>{@link #plain()}: no constraint term ({@code φ = 0});</li>
 *   <li>{@link #fixed(double)}: {@code λ · c_i}, no threshold (the fixed-penalty baseline);</li>
 *   <li>{@link #sequential}: the sequential penalty, {@code τ_e · max(0, c_i − B)} (or its square) with τ grown by a
 *       {@link PenaltySchedule}.</li>
 * </ul>
 * Its derivative weights are {@code w_i = φ'(c_i)} with scale {@code τ_e}, so that {@code ∂L/∂c_i = τ_e·φ'(c_i)/b}.
 * State: the epoch and τ (a pure function of the epoch, recorded for the reader).
 */
public final class PenaltyMethod implements ConstrainedMethod {

    private final String name;
    private final PenaltySchedule schedule;
    private final PenaltyFunction function;
    private final double bound;
    private int epoch = -1;
    private double tau;

    private PenaltyMethod(String name, PenaltySchedule schedule, PenaltyFunction function, double bound) {
        this.name = Objects.requireNonNull(name, "name");
        this.schedule = schedule;
        this.function = Objects.requireNonNull(function, "function");
        this.bound = bound;
        if (function != PenaltyFunction.NONE) {
            Objects.requireNonNull(schedule, "schedule");
        }
        if (!Double.isFinite(bound)) {
            throw new IllegalArgumentException("bound must be finite, got " + bound);
        }
        this.tau = schedule == null ? 0 : schedule.valueAt(0);
    }

    /** The task loss alone. */
    public static PenaltyMethod plain() {
        return new PenaltyMethod("plain", null, PenaltyFunction.NONE, 0);
    }

    /** {@code ℓ_i + λ·c_i}, λ fixed. */
    public static PenaltyMethod fixed(double lambda) {
        return new PenaltyMethod("fixed", PenaltySchedule.constant(lambda), PenaltyFunction.IDENTITY, 0);
    }

    /** The sequential penalty {@code ℓ_i + τ_e·φ(c_i − B)}, φ the hinge or the squared hinge. */
    public static PenaltyMethod sequential(PenaltySchedule schedule, PenaltyFunction function, double bound) {
        if (function == PenaltyFunction.NONE || function == PenaltyFunction.IDENTITY) {
            throw new IllegalArgumentException("the sequential penalty uses the hinge or the squared hinge, got "
                    + function);
        }
        return new PenaltyMethod("penalty", schedule, function, bound);
    }

    /** The penalty function φ. */
    public PenaltyFunction function() {
        return function;
    }

    /** The coefficient schedule (null for {@link #plain()}). */
    public PenaltySchedule schedule() {
        return schedule;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void beginEpoch(int newEpoch) {
        epoch = newEpoch;
        tau = schedule == null ? 0 : schedule.valueAt(newEpoch);
    }

    @Override
    public BatchTerms terms(SampleBatch batch) {
        int b = batch.size();
        double[] losses = batch.losses();
        double[] c = batch.constraints();
        double[] w = batch.weights();
        double total = 0;
        for (int i = 0; i < b; i++) {
            total += losses[i];
            if (function != PenaltyFunction.NONE) {
                total += tau * function.apply(c[i], bound);
            }
            w[i] = function.slope(c[i], bound);
        }
        return new BatchTerms(total / b, 1.0, function == PenaltyFunction.NONE ? 0.0 : tau);
    }

    @Override
    public double sampleObjective(long index, double loss, double constraint) {
        return function == PenaltyFunction.NONE ? loss : loss + tau * function.apply(constraint, bound);
    }

    /** {@inheritDoc} τ of the current epoch (λ for fixed), NaN for plain. */
    @Override
    public double coefficient() {
        return function == PenaltyFunction.NONE ? Double.NaN : tau;
    }

    @Override
    public boolean usesConstraint() {
        return function != PenaltyFunction.NONE;
    }

    @Override
    public MethodState state() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("epoch", (double) epoch);
        scalars.put("tau", tau);
        return new MethodState(name, scalars, null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name);
        epoch = (int) state.scalar("epoch");
        tau = state.scalar("tau");
    }
}
