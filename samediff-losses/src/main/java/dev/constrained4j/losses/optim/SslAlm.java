package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.method.MultiplierStatistics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stochastic smoothed linearised augmented Lagrangian method (SSL-ALM; {@code docs/methods.md}, "SSL-ALM") on
 * {@code m} inequality constraints {@code C_j ≤ 0}, written with slack variables {@code s ≥ 0} as the equalities
 * {@code h_j(x, s) = C_j(x) + s_j = 0} over {@code X = Rⁿ × R^m_{≥0}} (the seed paper's set). With multipliers
 * {@code y}, the proximal centres {@code z} (of {@code x}) and {@code z_s} (of {@code s}) and the settings of
 * {@link SslAlmConfig}, iteration {@code k}:
 *
 * <pre>
 *   y ← clip(y + η·h(x_k, s_k; ζ₁), 0, M_y)
 *   v = y + ρ·h(x_k, s_k; ζ₂)
 *   G_x = ∇f(x_k; ξ) + ∇C(x_k; ζ₁)ᵀ v + μ(x_k − z_k),    G_s = v + μ(s_k − z_s)
 *   x_{k+1} = x_k − τ·G_x,    s_{k+1} = max(0, s_k − τ·G_s)       (the projection onto X)
 *   z_{k+1} = z_k + β(x_k − z_k),    z_s ← z_s + β(s_k − z_s)
 * </pre>
 *
 * with {@code ζ₁ = ξ} (the objective's batch) and {@code ζ₂} an independent batch, so that {@code G} is an unbiased
 * estimate of the gradient of the proximal augmented Lagrangian
 * {@code K = f + yᵀh + (ρ/2)‖h‖² + (μ/2)‖(x, s) − (z, z_s)‖²}. {@code s_0 = 0}, {@code z_0 = x_0}. Why slack variables
 * and not {@code max(C, 0) = 0}: the latter's Jacobian vanishes wherever a constraint holds, so its multipliers can
 * only grow; on {@code min (x − 2)² s.t. x ≤ 1} with exact gradients they pass the true multiplier 2 and {@code x}
 * oscillates below 1 (a first version of this class, with {@code max(C, 0)}, ended at x = 0.957 after 20,000 steps),
 * while with slacks {@code (x, y) → (1, 2)} ({@code SslAlmTest}).
 * Dual state: the multipliers and the iteration count; primal state: {@code z}, {@code s}, {@code z_s}.
 */
public final class SslAlm implements ConstrainedOptimizer {

    private final SslAlmConfig config;
    private final double[] y;
    private final double[] slack;
    private final double[] slackCentre;
    private final double[] weights;
    private final Map<String, double[]> z = new LinkedHashMap<>();
    private long iterations;

    /** SSL-ALM on {@code constraints} constraint functions, multipliers and slacks starting at 0. */
    public SslAlm(SslAlmConfig config, int constraints) {
        this.config = Objects.requireNonNull(config, "config");
        if (constraints < 1) {
            throw new IllegalArgumentException("SSL-ALM needs at least one constraint, got " + constraints);
        }
        this.y = new double[constraints];
        this.slack = new double[constraints];
        this.slackCentre = new double[constraints];
        this.weights = new double[constraints];
    }

    public SslAlmConfig config() {
        return config;
    }

    /** A copy of the slack variables {@code s}. */
    public double[] slacks() {
        return slack.clone();
    }

    @Override
    public String name() {
        return "sslalm";
    }

    @Override
    public int constraints() {
        return y.length;
    }

    @Override
    public boolean needsSecondSample() {
        return true;
    }

    @Override
    public void dualStep(double[] constraints) {
        for (int j = 0; j < y.length; j++) {
            double h = constraints[j] + slack[j];
            y[j] = Math.min(config.maxMultiplier(), Math.max(0.0, y[j] + config.eta() * h));
        }
        iterations++;
    }

    @Override
    public double direction(double[] constraints, double[] second, double[] constraintWeights) {
        Objects.requireNonNull(second, "SSL-ALM needs the constraint values of a second batch");
        for (int j = 0; j < y.length; j++) {
            weights[j] = y[j] + config.rho() * (second[j] + slack[j]);
            constraintWeights[j] = weights[j];
        }
        return 1.0;
    }

    /** The primal step of {@code x} with the gradient asked for, and of the slacks with the last direction's v. */
    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g == null) {
                continue;
            }
            INDArray x = e.getValue();
            if (g.length() != x.length()) {
                throw new IllegalArgumentException("gradient of '" + e.getKey() + "' has " + g.length()
                        + " values, the parameter " + x.length());
            }
            double[] xv = read(x);
            double[] gv = read(g);
            double[] centre = z.computeIfAbsent(e.getKey(), k -> xv.clone());
            for (int i = 0; i < xv.length; i++) {
                double previous = xv[i];
                xv[i] = previous - config.tau() * (gv[i] + config.mu() * (previous - centre[i]));
                centre[i] += config.beta() * (previous - centre[i]);
            }
            write(xv, x);
        }
        for (int j = 0; j < y.length; j++) {
            double previous = slack[j];
            double gradient = weights[j] + config.mu() * (previous - slackCentre[j]);
            slack[j] = Math.max(0.0, previous - config.tau() * gradient);
            slackCentre[j] += config.beta() * (previous - slackCentre[j]);
        }
    }

    /** The values of an array in C order (straight from its buffer when it is a contiguous view). */
    private static double[] read(INDArray a) {
        int n = Math.toIntExact(a.length());
        double[] out = new double[n];
        if (contiguous(a)) {
            DataBuffer buffer = a.data();
            long offset = a.offset();
            for (int i = 0; i < n; i++) {
                out[i] = buffer.getDouble(offset + i);
            }
            return out;
        }
        return a.dup('c').reshape(n).toDoubleVector();
    }

    private static void write(double[] values, INDArray a) {
        if (contiguous(a)) {
            DataBuffer buffer = a.data();
            long offset = a.offset();
            for (int i = 0; i < values.length; i++) {
                buffer.put(offset + i, values[i]);
            }
            return;
        }
        a.assign(Nd4j.createFromArray(values).reshape('c', a.shape()).castTo(a.dataType()));
    }

    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.offset() + a.length() <= a.data().length();
    }

    @Override
    public double[] multipliers() {
        return y.clone();
    }

    /** {@inheritDoc} ρ. */
    @Override
    public double coefficient() {
        return config.rho();
    }

    @Override
    public Map<String, Double> statistics() {
        HeapMultipliers store = new HeapMultipliers(y.length);
        for (int j = 0; j < y.length; j++) {
            store.set(j, (float) y[j]);
        }
        return MultiplierStatistics.of(store);
    }

    @Override
    public MethodState state() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("iterations", (double) iterations);
        for (int j = 0; j < y.length; j++) {
            scalars.put("y" + j, y[j]);
        }
        return new MethodState(name(), scalars, null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        if (state.scalars().containsKey("y" + y.length) || !state.scalars().containsKey("y" + (y.length - 1))) {
            throw new IllegalArgumentException("the state of " + name() + " has another number of multipliers than "
                    + y.length);
        }
        iterations = (long) state.scalar("iterations");
        for (int j = 0; j < y.length; j++) {
            y[j] = state.scalar("y" + j);
        }
    }

    @Override
    public void writePrimal(DataOutputStream out) throws IOException {
        out.writeInt(y.length);
        for (int j = 0; j < y.length; j++) {
            out.writeDouble(slack[j]);
            out.writeDouble(slackCentre[j]);
            out.writeDouble(weights[j]);
        }
        out.writeInt(z.size());
        for (Map.Entry<String, double[]> e : z.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (double v : e.getValue()) {
                out.writeDouble(v);
            }
        }
    }

    @Override
    public void readPrimal(DataInputStream in) throws IOException {
        int m = in.readInt();
        if (m != y.length) {
            throw new IOException("the SSL-ALM state has " + m + " slack variables, this optimiser " + y.length);
        }
        for (int j = 0; j < m; j++) {
            slack[j] = in.readDouble();
            slackCentre[j] = in.readDouble();
            weights[j] = in.readDouble();
        }
        z.clear();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("corrupt SSL-ALM state: " + count + " arrays");
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("corrupt SSL-ALM state: " + n + " values of " + name);
            }
            double[] values = new double[n];
            for (int k = 0; k < n; k++) {
                values[k] = in.readDouble();
            }
            z.put(name, values);
        }
    }
}
