package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.weights.WeightConstraint;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic ADMM (seed 002 eqs. 7–12 and 14; Ouyang et al. 2013) on weight constraints: each constrained parameter
 * {@code θ} is split as {@code θ = μ}, with {@code F} on {@code θ} and the constraint term
 * {@code C(μ) = Σ_{i on this parameter} C_i(μ)} on {@code μ}, and the scaled multiplier {@code u = λ/ρ}. Iteration
 * {@code k}, with the batch gradient {@code g = ∇F(θ_k; ξ_{k+1})} and {@code η_k} of {@link StochasticAdmmConfig}:
 *
 * <pre>
 *   θ_{k+1} = argmin_θ gᵀ(θ − θ_k) + (ρ/2)‖θ − μ_k + u_k‖² + ‖θ − θ_k‖²/(2η_k)       (eq. 14, linearised)
 *           = (θ_k − η_k g + η_k ρ (μ_k − u_k)) / (1 + η_k ρ)
 *   μ_{k+1} = argmin_μ C(μ) + (ρ/2)‖θ_{k+1} − μ + u_k‖² = prox_{C/ρ}(θ_{k+1} + u_k)     (eq. 11)
 *   u_{k+1} = u_k + θ_{k+1} − μ_{k+1}                                                    (eq. 12, scaled)
 * </pre>
 *
 * Eq. (12) prints {@code u ← u + ρ(θ − μ)}; with {@code u = λ/ρ} the multiplier update (9) is
 * {@code u ← u + (θ − μ)}, which is used here (Boyd et al. 2011, §3.1.1). The μ-step uses each constraint's
 * {@link WeightConstraint#proximal} with {@code t = 1/ρ}: exact for one constraint on a parameter; for several
 * (e.g. L2 and orthogonality on one layer) their proximal operators are applied in the set's order, an
 * approximation of the proximal operator of their sum. Parameters without constraints take the plain step
 * {@code θ ← θ − η_k g}. {@code μ_0 = θ_0}, {@code u_0 = 0}. The model holds {@code θ}; {@link #splitVariables()}
 * gives {@code μ}, the copy on which the constraint acts.
 *
 * <p>In the call order: {@link #direction} asks for {@code ∇F} alone ({@code a = 1}, every {@code v_i = 0}: the
 * constraints act through μ); {@link #step} does the three updates. Dual state: the iteration count; primal state
 * ({@link #writePrimal}): μ and u of every constrained parameter.
 */
public final class StochasticAdmm implements ConstrainedOptimizer {

    private final StochasticAdmmConfig config;
    private final WeightConstraintSet constraints;
    private final Map<String, List<WeightConstraint>> byParameter;
    private final Map<String, INDArray> split = new LinkedHashMap<>();
    private final Map<String, INDArray> scaled = new LinkedHashMap<>();
    private long iterations;
    private double primalResidual = Double.NaN;
    private double dualNorm = Double.NaN;

    public StochasticAdmm(StochasticAdmmConfig config, WeightConstraintSet constraints) {
        this.config = Objects.requireNonNull(config, "config");
        this.constraints = Objects.requireNonNull(constraints, "constraints");
        this.byParameter = constraints.byParameter();
    }

    public StochasticAdmmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "sadmm";
    }

    @Override
    public int constraints() {
        return constraints.size();
    }

    /** Nothing: the dual update is part of {@link #step}; checks the length. */
    @Override
    public void dualStep(double[] values) {
        requireLength(values);
    }

    /** {@code a = 1} and every {@code v_i = 0}: the θ-step needs {@code ∇F} only. */
    @Override
    public double direction(double[] values, double[] second, double[] constraintWeights) {
        requireLength(values);
        java.util.Arrays.fill(constraintWeights, 0.0);
        return 1.0;
    }

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        double eta = config.stepSize(iterations);
        double rho = config.rho();
        double residual = 0;
        double dual = 0;
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray theta = parameters.get(e.getKey());
            if (theta == null) {
                throw new IllegalArgumentException("gradient for unknown parameter '" + e.getKey() + "'");
            }
            INDArray g = e.getValue().castTo(theta.dataType()).reshape(theta.shape());
            List<WeightConstraint> list = byParameter.get(e.getKey());
            if (list == null) {
                theta.subi(g.mul(eta));
                continue;
            }
            INDArray mu = split.computeIfAbsent(e.getKey(), k -> theta.dup('c'));
            INDArray u = scaled.computeIfAbsent(e.getKey(), k -> Nd4j.zeros(theta.dataType(), theta.shape()));
            INDArray next = mu.sub(u).muli(eta * rho).addi(theta).subi(g.mul(eta)).divi(1.0 + eta * rho);
            theta.assign(next);
            INDArray v = theta.add(u);
            for (WeightConstraint c : list) {
                v = c.proximal(v, 1.0 / rho);
            }
            mu.assign(v);
            INDArray gap = theta.sub(mu);
            u.addi(gap);
            double r = gap.norm2Number().doubleValue();
            double d = u.norm2Number().doubleValue();
            residual += r * r;
            dual += d * d;
        }
        primalResidual = Math.sqrt(residual);
        dualNorm = Math.sqrt(dual);
        iterations++;
    }

    /** Copies of the split variables μ, by parameter name (empty before the first step). */
    public Map<String, INDArray> splitVariables() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        split.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** Copies of the scaled multipliers u, by parameter name. */
    public Map<String, INDArray> scaledMultipliers() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        scaled.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** No scalar multipliers: the dual variables are the arrays {@link #scaledMultipliers()}. */
    @Override
    public double[] multipliers() {
        return new double[0];
    }

    /** {@inheritDoc} ρ. */
    @Override
    public double coefficient() {
        return config.rho();
    }

    /** {@code primal_residual} ‖θ − μ‖ and {@code dual_norm} ‖u‖ after the last step, {@code step_size} η_k next. */
    @Override
    public Map<String, Double> statistics() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("primal_residual", primalResidual);
        out.put("dual_norm", dualNorm);
        out.put("step_size", config.stepSize(iterations));
        return out;
    }

    @Override
    public MethodState state() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("iterations", (double) iterations);
        s.put("primal_residual", primalResidual);
        s.put("dual_norm", dualNorm);
        return new MethodState(name(), s, null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        iterations = (long) state.scalar("iterations");
        primalResidual = state.scalar("primal_residual");
        dualNorm = state.scalar("dual_norm");
    }

    @Override
    public void writePrimal(DataOutputStream out) throws IOException {
        out.writeInt(split.size());
        for (Map.Entry<String, INDArray> e : split.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), out);
            Nd4j.write(scaled.get(e.getKey()), out);
        }
    }

    @Override
    public void readPrimal(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > byParameter.size()) {
            throw new IOException("corrupt S-ADMM state: " + n + " split parameters for " + byParameter.size());
        }
        split.clear();
        scaled.clear();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!byParameter.containsKey(name)) {
                throw new IOException("the S-ADMM state splits '" + name + "', which has no constraint here");
            }
            split.put(name, Nd4j.read(in));
            scaled.put(name, Nd4j.read(in));
        }
    }

    private void requireLength(double[] values) {
        if (values.length != constraints.size()) {
            throw new IllegalArgumentException(values.length + " constraint values for " + constraints.size()
                    + " constraints");
        }
    }
}
