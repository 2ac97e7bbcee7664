package dev.constrained4j.models.optim;

import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One of the engine's {@link ConstrainedMethod}s (the sequential penalty, the augmented Lagrangian) with
 * {@link AdamOptimizer} as its primal step, seen as a {@link ConstrainedOptimizer} over {@code m} constraints that are
 * expectations ({@code docs/methods.md}, "The engine's methods on expectation constraints"). The method sees the
 * {@code m} constraint values as a batch of {@code m} entries (index {@code j}, value {@code C_j}, bound 0) and
 * minimises {@code f + Σ_j Ψ_j(C_j)}: the gradient weights are {@code v_j = constraintScale·w_j}. As in the
 * per-sample loop, the method's dual step uses the constraint values measured before the primal step and is taken
 * after it: {@link #dualStep} only records the values, {@link #step} applies Adam, then the method's dual step.
 */
public final class MethodOptimizer implements ConstrainedOptimizer {

    private final ConstrainedMethod method;
    private final AdamOptimizer adam;
    private final SampleBatch batch;
    private final int constraints;

    /**
     * @param method      a method whose constraint bound is 0 (values are {@code C_j ≤ 0}) and, if it has
     *                    multipliers, one per constraint
     * @param constraints the number of constraint functions {@code m}
     */
    public MethodOptimizer(ConstrainedMethod method, AdamOptimizer adam, int constraints) {
        this.method = Objects.requireNonNull(method, "method");
        this.adam = Objects.requireNonNull(adam, "adam");
        if (constraints < 1) {
            throw new IllegalArgumentException("at least one constraint is needed, got " + constraints);
        }
        this.constraints = constraints;
        this.batch = new SampleBatch(constraints).resize(constraints);
        for (int j = 0; j < constraints; j++) {
            batch.indices()[j] = j;
        }
    }

    /** The wrapped method. */
    public ConstrainedMethod method() {
        return method;
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public int constraints() {
        return constraints;
    }

    @Override
    public void beginEpoch(int epoch) {
        method.beginEpoch(epoch);
    }

    /** Records {@code c¹}; the method's dual step with it follows the primal step ({@link #step}). */
    @Override
    public void dualStep(double[] values) {
        System.arraycopy(values, 0, batch.constraints(), 0, constraints);
        java.util.Arrays.fill(batch.losses(), 0, constraints, 0.0);
    }

    @Override
    public double direction(double[] values, double[] second, double[] constraintWeights) {
        System.arraycopy(values, 0, batch.constraints(), 0, constraints);
        BatchTerms terms = method.terms(batch);
        double[] w = batch.weights();
        for (int j = 0; j < constraints; j++) {
            constraintWeights[j] = terms.constraintActive() ? terms.constraintScale() * w[j] : 0.0;
        }
        return terms.lossScale();
    }

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        adam.step(parameters, gradients);
        method.dualStep(batch);
    }

    @Override
    public void endEpoch(int epoch) {
        method.endEpoch(epoch);
    }

    @Override
    public double[] multipliers() {
        MethodState state = method.state();
        if (state.multipliers() == null) {
            return new double[0];
        }
        double[] out = new double[(int) state.multipliers().size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = state.multipliers().get(j);
        }
        return out;
    }

    @Override
    public double coefficient() {
        return method.coefficient();
    }

    @Override
    public Map<String, Double> statistics() {
        return method.statistics();
    }

    @Override
    public MethodState state() {
        return method.state();
    }

    @Override
    public void restore(MethodState state) {
        method.restore(state);
    }

    /** Adam's moments and step count. */
    @Override
    public void writePrimal(DataOutputStream out) throws IOException {
        adam.write(out);
    }

    @Override
    public void readPrimal(DataInputStream in) throws IOException {
        adam.read(in);
    }
}
