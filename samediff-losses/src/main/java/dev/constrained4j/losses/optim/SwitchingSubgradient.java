package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.method.MethodState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The stochastic switching subgradient method (SSw; {@code docs/methods.md}, "Switching subgradient") for any number
 * of constraints {@code C_j ≤ 0}, treated as the one constraint {@code C(x) = max_j C_j(x)}: in iteration {@code k}
 * (from 1) with tolerance {@code ε_1} given and {@code ε_k = ε_{k−1}/√k},
 *
 * <pre>
 *   if max_j C_j(x_k; ζ) ≤ ε_k:   x_{k+1} = x_k − η^f ∇f(x_k; ξ)          (objective step)
 *   else:                          x_{k+1} = x_k − η^c ∇C_{j*}(x_k; ζ),   j* = argmax_j C_j(x_k; ζ)   (constraint step)
 * </pre>
 *
 * with the constraint estimate {@code ζ} and the objective's batch {@code ξ} the same rows. The published method has
 * one constraint; taking the most violated one's subgradient is the subgradient of their maximum. The final model is
 * the last iterate (the theory's output, an iterate drawn among the objective steps, is not what a user deploys).
 * Dual state: {@code k}, {@code ε_k}, the counts of objective and constraint steps; no multipliers.
 */
public final class SwitchingSubgradient implements ConstrainedOptimizer {

    /** The statistic holding the share of objective steps. */
    public static final String OBJECTIVE_SHARE = "objective_share";

    private final SwitchingSubgradientConfig config;
    private final int constraints;
    private long iteration;
    private double tolerance;
    private long objectiveSteps;
    private long constraintSteps;
    private int choice = -1;

    public SwitchingSubgradient(SwitchingSubgradientConfig config, int constraints) {
        this.config = Objects.requireNonNull(config, "config");
        if (constraints < 1) {
            throw new IllegalArgumentException("the switching subgradient needs at least one constraint, got "
                    + constraints);
        }
        this.constraints = constraints;
        this.tolerance = config.firstTolerance();
    }

    @Override
    public String name() {
        return "ssw";
    }

    @Override
    public int constraints() {
        return constraints;
    }

    /** The tolerance {@code ε_k} of the last iteration. */
    public double tolerance() {
        return tolerance;
    }

    /** Decides this iteration's step: −1 for the objective, else the index of the most violated constraint. */
    @Override
    public void dualStep(double[] values) {
        iteration++;
        tolerance = iteration == 1 ? config.firstTolerance() : tolerance / Math.sqrt(iteration);
        int worst = 0;
        for (int j = 1; j < constraints; j++) {
            if (values[j] > values[worst]) {
                worst = j;
            }
        }
        choice = values[worst] <= tolerance ? -1 : worst;
        if (choice < 0) {
            objectiveSteps++;
        } else {
            constraintSteps++;
        }
    }

    @Override
    public double direction(double[] values, double[] second, double[] constraintWeights) {
        java.util.Arrays.fill(constraintWeights, 0, constraints, 0.0);
        if (choice < 0) {
            return 1.0;
        }
        constraintWeights[choice] = 1.0;
        return 0.0;
    }

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        double eta = choice < 0 ? config.objectiveStep() : config.constraintStep();
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g != null) {
                e.getValue().subi(g.mul(eta));
            }
        }
    }

    @Override
    public double[] multipliers() {
        return new double[0];
    }

    /** {@inheritDoc} None: NaN. */
    @Override
    public double coefficient() {
        return Double.NaN;
    }

    /** {@inheritDoc} {@value #OBJECTIVE_SHARE}: the fraction of the iterations so far that were objective steps. */
    @Override
    public Map<String, Double> statistics() {
        long all = objectiveSteps + constraintSteps;
        return Map.of(OBJECTIVE_SHARE, all == 0 ? Double.NaN : (double) objectiveSteps / all);
    }

    @Override
    public MethodState state() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("iteration", (double) iteration);
        scalars.put("tolerance", tolerance);
        scalars.put("objectiveSteps", (double) objectiveSteps);
        scalars.put("constraintSteps", (double) constraintSteps);
        return new MethodState(name(), scalars, null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        iteration = (long) state.scalar("iteration");
        tolerance = state.scalar("tolerance");
        objectiveSteps = (long) state.scalar("objectiveSteps");
        constraintSteps = (long) state.scalar("constraintSteps");
        choice = -1;
    }
}
