package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fixed penalty (FP) of seed 002 eq. (13) on weight constraints: minimise
 * {@code F(θ) + Σ_i ρ_{kind(i)} C_i(θ)²} with one coefficient {@code ρ} per constraint kind (the seed's FP runs vary
 * {@code ρ_i ∈ [1e-4, 0.1]} per kind), whose gradient is {@code ∇F + Σ_i 2ρ_{kind(i)} C_i ∇C_i}. In the
 * {@link ConstrainedOptimizer} call order: {@link #direction} returns {@code a = 1} and {@code v_i = 2ρ_{kind(i)}·c_i};
 * the caller adds {@code Σ v_i ∇C_i} ({@link WeightConstraintSet#accumulateGradient}) to {@code ∇F}; {@link #step}
 * hands that gradient to the {@link PrimalOptimizer} with a fixed learning rate. No dual variables; state: the
 * iteration count, and the inner optimiser's state as primal state.
 */
public final class FixedWeightPenalty implements ConstrainedOptimizer {

    private final WeightConstraintSet constraints;
    private final Map<String, Double> penalties;
    private final double[] rho;
    private final PrimalOptimizer primal;
    private final double learningRate;
    private long iterations;

    /**
     * @param penalties    ρ for each kind of {@code constraints} ({@code l1}, {@code l2}, {@code orth}, {@code nonneg})
     * @param learningRate the inner optimiser's learning rate, > 0
     */
    public FixedWeightPenalty(WeightConstraintSet constraints, Map<String, Double> penalties, PrimalOptimizer primal,
                              double learningRate) {
        this.constraints = Objects.requireNonNull(constraints, "constraints");
        this.primal = Objects.requireNonNull(primal, "primal");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the fixed penalty's learningRate must be a finite number > 0, got "
                    + learningRate);
        }
        this.learningRate = learningRate;
        this.penalties = Map.copyOf(penalties);
        for (String kind : constraints.kinds()) {
            Double r = penalties.get(kind);
            if (r == null) {
                throw new IllegalArgumentException("no penalty coefficient for constraint kind '" + kind + "'; give one"
                        + " for each of " + constraints.kinds());
            }
            if (!(r >= 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("the penalty of kind '" + kind + "' must be a finite number >= 0,"
                        + " got " + r);
            }
        }
        this.rho = new double[constraints.size()];
        for (int i = 0; i < rho.length; i++) {
            rho[i] = penalties.get(constraints.kind(i));
        }
    }

    @Override
    public String name() {
        return "fp";
    }

    @Override
    public int constraints() {
        return rho.length;
    }

    /** Nothing to update: the penalty is fixed. */
    @Override
    public void dualStep(double[] values) {
        requireLength(values);
        iterations++;
    }

    @Override
    public double direction(double[] values, double[] second, double[] constraintWeights) {
        requireLength(values);
        for (int i = 0; i < rho.length; i++) {
            constraintWeights[i] = 2.0 * rho[i] * values[i];
        }
        return 1.0;
    }

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        primal.step(parameters, gradients, learningRate);
    }

    @Override
    public double[] multipliers() {
        return new double[0];
    }

    /** {@inheritDoc} The common ρ when every kind has the same, else NaN (see {@link #statistics()}). */
    @Override
    public double coefficient() {
        double first = rho[0];
        for (double r : rho) {
            if (r != first) {
                return Double.NaN;
            }
        }
        return first;
    }

    /** {@code rho_<kind>} for each kind. */
    @Override
    public Map<String, Double> statistics() {
        Map<String, Double> out = new LinkedHashMap<>();
        constraints.kinds().forEach(k -> out.put("rho_" + k, penalties.get(k)));
        return out;
    }

    @Override
    public MethodState state() {
        return new MethodState(name(), Map.of("iterations", (double) iterations), null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        iterations = (long) state.scalar("iterations");
    }

    @Override
    public void writePrimal(DataOutputStream out) throws IOException {
        primal.write(out);
    }

    @Override
    public void readPrimal(DataInputStream in) throws IOException {
        primal.read(in);
    }

    private void requireLength(double[] values) {
        if (values.length != rho.length) {
            throw new IllegalArgumentException(values.length + " constraint values for " + rho.length
                    + " constraints");
        }
    }
}
