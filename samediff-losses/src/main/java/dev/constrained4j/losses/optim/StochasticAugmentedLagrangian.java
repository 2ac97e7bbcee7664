package dev.constrained4j.losses.optim;

import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The stochastic augmented Lagrangian (SAL) of seed 002, Algorithm 2 (after Dener et al., arXiv 2009.07330), on
 * weight constraints {@code C(θ) = 0} ({@link WeightConstraintSet}, every {@code C_i ≥ 0}):
 *
 * <pre>
 *   C_best ← C(θ_0);  λ ← 0
 *   for shuffle = 0 .. n_shuffle − 1:                       (shuffle the training set, split into batches)
 *     μ ← (shuffle + 1)·μ_init
 *     for k = 0 .. n_aug-Lag − 1:                           (one AL iteration = one epoch)
 *       θ ← one epoch of the inner optimiser on L(θ, λ) = F(θ) + ⟨λ, C(θ)⟩ + (μ/2)‖C(θ)‖²,
 *           its learning rate reset to lr_0 at the epoch's start and decayed by γ per step
 *       if ‖C(θ)‖² ≤ η‖C_best‖²:
 *         if F(θ) ≤ ε_f and ‖C(θ)‖² ≤ ε_c: terminate
 *         λ ← λ + μ·C(θ);  C_best ← C(θ)                 (μ kept)
 *       else:
 *         μ ← min(σμ, μ_max)                                (λ kept)
 * </pre>
 *
 * λ and {@code C_best} carry over from one shuffle to the next (the algorithm's line 21); only μ restarts.
 *
 * <p><b>Mapping onto the {@link ConstrainedOptimizer} call order.</b> One epoch of the runner is one AL iteration:
 * <ol>
 *   <li>{@link #beginEpoch}: starts the iteration: resets the learning rate to {@code lr_0} and, at the first
 *       iteration of a shuffle, sets {@code μ = (shuffle+1)·μ_init}. The runner reshuffles its data when
 *       {@link #iteration()} is 0 here (a new shuffle), and keeps the batch order otherwise.</li>
 *   <li>per batch: {@link #dualStep} (nothing changes: SAL's dual update is per iteration), {@link #direction}
 *       ({@code a = 1}, {@code v_i = λ_i + μ·c_i}, the gradient of {@code L}), the caller's
 *       {@code ∇F + Σ v_i ∇C_i}, {@link #step} (the inner optimiser's step with this step's learning rate). The
 *       {@code c} passed in is {@code C(θ_k)}, exact, since a weight constraint does not depend on the batch.</li>
 *   <li>{@link #recordObjective(double)}: the runner's estimate of {@code F(θ_{k+1})}, for the termination test: the
 *       mean of the epoch's batch objectives (cheap, and what we recommend) or a full pass at the end. Not needed
 *       when {@code ε_f} is infinite.</li>
 *   <li>{@link #endEpoch}: ends the iteration: evaluates {@code C(θ_{k+1})} on the parameter map the last
 *       {@link #step} received (updated in place, so it holds {@code θ_{k+1}}), then the acceptance test and the
 *       updates above, then advances the counters.</li>
 * </ol>
 * The runner stops when {@link #finished()}: after termination or after {@code n_shuffle·n_aug-Lag} epochs.
 * {@code C_best} is initialised by the first {@link #step}, from the parameters before it moves them.
 *
 * <p>State: λ, μ, {@code C_best}, the shuffle and iteration counters, the current learning rate and the step count
 * are {@link MethodState} scalars; the inner optimiser's state (e.g. Adam's moments) is the primal state. A state
 * taken between epochs (after {@link #endEpoch}) continues bit for bit.
 */
public final class StochasticAugmentedLagrangian implements ConstrainedOptimizer {

    private final StochasticAugmentedLagrangianConfig config;
    private final WeightConstraintSet constraints;
    private final PrimalOptimizer primal;
    private final double[] lambda;
    private final double[] best;
    private final double[] last;
    private boolean bestKnown;
    private double mu;
    private int shuffle;
    private int iteration;
    private double learningRate;
    private long steps;
    private boolean finished;
    private boolean accepted;
    private double objective = Double.NaN;
    private Map<String, INDArray> parameters;

    public StochasticAugmentedLagrangian(StochasticAugmentedLagrangianConfig config, WeightConstraintSet constraints,
                                         PrimalOptimizer primal) {
        this.config = Objects.requireNonNull(config, "config");
        this.constraints = Objects.requireNonNull(constraints, "constraints");
        this.primal = Objects.requireNonNull(primal, "primal");
        int m = constraints.size();
        this.lambda = new double[m];
        this.best = new double[m];
        this.last = new double[m];
        Arrays.fill(last, Double.NaN);
        this.mu = config.initialPenalty();
        this.learningRate = config.learningRate();
    }

    public StochasticAugmentedLagrangianConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "sal";
    }

    @Override
    public int constraints() {
        return lambda.length;
    }

    /** Whether the run is over: terminated on the tolerances, or all shuffles done. */
    public boolean finished() {
        return finished;
    }

    /** The 0-based shuffle of the next (or current) iteration. */
    public int shuffle() {
        return shuffle;
    }

    /** The 0-based AL iteration within its shuffle of the next (or current) epoch; 0 = a new shuffle starts. */
    public int iteration() {
        return iteration;
    }

    /** μ, the current penalty. */
    public double penalty() {
        return mu;
    }

    /** The learning rate the next {@link #step} uses. */
    public double learningRate() {
        return learningRate;
    }

    /** A copy of {@code C_best} (NaN before the first step). */
    public double[] bestViolation() {
        return bestKnown ? best.clone() : nanVector();
    }

    /** A copy of {@code C(θ)} at the end of the last iteration (NaN before the first). */
    public double[] lastViolation() {
        return last.clone();
    }

    /** Whether the last iteration passed the acceptance test. */
    public boolean accepted() {
        return accepted;
    }

    @Override
    public void beginEpoch(int epoch) {
        if (finished) {
            throw new IllegalStateException("SAL has finished (check finished() before each epoch)");
        }
        if (iteration == 0) {
            mu = (shuffle + 1) * config.initialPenalty();
        }
        learningRate = config.learningRate();
        objective = Double.NaN;
    }

    /** SAL's multipliers change once per iteration ({@link #endEpoch}); this only checks the length. */
    @Override
    public void dualStep(double[] values) {
        requireLength(values);
    }

    /** {@code a = 1}, {@code v_i = λ_i + μ·c_i}: the gradient of {@code L(θ, λ)} is {@code ∇F + Σ v_i ∇C_i}. */
    @Override
    public double direction(double[] values, double[] second, double[] constraintWeights) {
        requireLength(values);
        for (int i = 0; i < lambda.length; i++) {
            constraintWeights[i] = lambda[i] + mu * values[i];
        }
        return 1.0;
    }

    @Override
    public void step(Map<String, INDArray> params, Map<String, INDArray> gradients) {
        if (!bestKnown) {
            System.arraycopy(constraints.values(params), 0, best, 0, best.length);
            bestKnown = true;
        }
        primal.step(params, gradients, learningRate);
        learningRate *= config.learningRateDecay();
        steps++;
        parameters = params;
    }

    /** {@code F(θ_{k+1})} (an estimate: e.g. the mean of this epoch's batch objectives) for the termination test. */
    @Override
    public void recordObjective(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("SAL's objective must be a number, got NaN");
        }
        objective = value;
    }

    /** Ends the AL iteration: the acceptance test on {@code C(θ_{k+1})} and the updates of Algorithm 2. */
    @Override
    public void endEpoch(int epoch) {
        if (parameters == null) {
            throw new IllegalStateException("SAL's iteration took no step; call step() at least once per epoch");
        }
        boolean objectiveTest = Double.isInfinite(config.objectiveTolerance());
        if (!objectiveTest && Double.isNaN(objective)) {
            throw new IllegalStateException("SAL needs F at the end of epoch " + epoch + ": call recordObjective(F)"
                    + " after the epoch's last step and before endEpoch (or set objectiveTolerance to infinity)");
        }
        endIteration(constraints.values(parameters), objective);
    }

    /**
     * The end of an AL iteration with {@code C(θ_{k+1})} and {@code F(θ_{k+1})} given (package-private for tests;
     * {@link #endEpoch} evaluates {@code C} itself).
     */
    void endIteration(double[] c, double f) {
        requireLength(c);
        if (!bestKnown) {
            throw new IllegalStateException("SAL's C_best is not known: no step was taken");
        }
        System.arraycopy(c, 0, last, 0, c.length);
        double norm = WeightConstraintSet.squaredNorm(c);
        accepted = norm <= config.updateTolerance() * WeightConstraintSet.squaredNorm(best);
        if (accepted) {
            boolean objectiveMet = Double.isInfinite(config.objectiveTolerance()) || f <= config.objectiveTolerance();
            if (objectiveMet && norm <= config.constraintTolerance()) {
                finished = true;
                return;
            }
            for (int i = 0; i < lambda.length; i++) {
                lambda[i] += mu * c[i];
            }
            System.arraycopy(c, 0, best, 0, c.length);
        } else {
            mu = Math.min(config.penaltyFactor() * mu, config.maxPenalty());
        }
        iteration++;
        if (iteration == config.iterationsPerShuffle()) {
            iteration = 0;
            shuffle++;
            finished = shuffle == config.shuffles();
        }
    }

    @Override
    public double[] multipliers() {
        return lambda.clone();
    }

    /** {@inheritDoc} μ. */
    @Override
    public double coefficient() {
        return mu;
    }

    /**
     * {@code dual_mean}, {@code dual_max} (of λ), {@code penalty} (μ), {@code learning_rate}, {@code shuffle},
     * {@code iteration}, {@code c_norm2} ({@code ‖C‖²} at the last iteration's end), {@code best_norm2},
     * {@code accepted} (0 or 1).
     */
    @Override
    public Map<String, Double> statistics() {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double l : lambda) {
            sum += l;
            max = Math.max(max, l);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("dual_mean", sum / lambda.length);
        out.put("dual_max", max);
        out.put("penalty", mu);
        out.put("learning_rate", learningRate);
        out.put("shuffle", (double) shuffle);
        out.put("iteration", (double) iteration);
        out.put("c_norm2", WeightConstraintSet.squaredNorm(last));
        out.put("best_norm2", bestKnown ? WeightConstraintSet.squaredNorm(best) : Double.NaN);
        out.put("accepted", accepted ? 1.0 : 0.0);
        return out;
    }

    @Override
    public MethodState state() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("constraints", (double) lambda.length);
        s.put("mu", mu);
        s.put("shuffle", (double) shuffle);
        s.put("iteration", (double) iteration);
        s.put("learning_rate", learningRate);
        s.put("steps", (double) steps);
        s.put("finished", finished ? 1.0 : 0.0);
        s.put("accepted", accepted ? 1.0 : 0.0);
        s.put("best_known", bestKnown ? 1.0 : 0.0);
        for (int i = 0; i < lambda.length; i++) {
            s.put("lambda_" + i, lambda[i]);
            s.put("best_" + i, best[i]);
            s.put("last_" + i, last[i]);
        }
        return new MethodState(name(), s, null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        if ((int) state.scalar("constraints") != lambda.length) {
            throw new IllegalArgumentException("the state of sal has " + (int) state.scalar("constraints")
                    + " constraints, this optimiser " + lambda.length);
        }
        mu = state.scalar("mu");
        shuffle = (int) state.scalar("shuffle");
        iteration = (int) state.scalar("iteration");
        learningRate = state.scalar("learning_rate");
        steps = (long) state.scalar("steps");
        finished = state.scalar("finished") != 0;
        accepted = state.scalar("accepted") != 0;
        bestKnown = state.scalar("best_known") != 0;
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = state.scalar("lambda_" + i);
            best[i] = state.scalar("best_" + i);
            last[i] = state.scalar("last_" + i);
        }
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
        if (values.length != lambda.length) {
            throw new IllegalArgumentException(values.length + " constraint values for " + lambda.length
                    + " constraints");
        }
    }

    private double[] nanVector() {
        double[] v = new double[lambda.length];
        Arrays.fill(v, Double.NaN);
        return v;
    }
}
