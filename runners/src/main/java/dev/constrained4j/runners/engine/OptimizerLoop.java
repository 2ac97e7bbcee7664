package dev.constrained4j.runners.engine;

import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The iteration loop of a {@link ConstrainedOptimizer} ({@code docs/methods.md}, "Constrained optimisers"): per step,
 * a batch {@code ξ} (and, for an optimiser that asks for one, an independent batch {@code ζ₂}), the model's forward
 * pass for the objective and the constraint values, the optimiser's dual step, the gradient combination it asks
 * for, one backward pass and its primal step, in the call order of {@link ConstrainedOptimizer}. It serves the
 * constraints that are expectations over groups of rows (fairness: each batch holds every group) and the
 * constraints on the weights (SAL, stochastic ADMM, fixed penalty). {@link MinibatchLoop} is the loop of per-sample
 * constraints, where every sample has its own term and multiplier and an epoch visits every sample once. Usable
 * from plain Java code. Not thread-safe.
 */
public final class OptimizerLoop {

    /** The rows of every batch: a pure function of its coordinates (so a resumed epoch repeats itself). */
    public interface BatchSource {
        /** The rows of batch {@code step} of {@code epoch}; stream 0 is the objective's, stream 1 the second sample. */
        int[] rows(int epoch, int step, int stream);
    }

    /** A model as this loop sees it: objective and constraint values of a batch, and the combined gradient. */
    public interface BatchModel {
        /** The number of constraint functions {@code m}. */
        int constraintCount();

        /**
         * Forward pass of the batch: returns the objective {@code f(x; ξ)} (a mean over the batch) and writes
         * {@code C(x; ξ)} into {@code constraints}; keeps what {@link #backward} needs.
         */
        double forward(int[] rows, double[] constraints);

        /** {@code C(x; ζ)} of another batch, keeping nothing (called before the {@link #forward} of the step). */
        void constraintValues(int[] rows, double[] constraints);

        /** Fills {@link #gradients()} with {@code a·∇f + Σ_j v_j ∇C_j} for the batch of the last forward pass. */
        void backward(double objectiveWeight, double[] constraintWeights);

        /** The trained parameters (live). */
        Map<String, INDArray> parameters();

        /** The gradients of the last backward pass (live). */
        Map<String, INDArray> gradients();
    }

    private final BatchModel model;
    private final ConstrainedOptimizer optimizer;
    private final double[] first;
    private final double[] second;
    private final double[] weights;

    public OptimizerLoop(BatchModel model, ConstrainedOptimizer optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        int m = model.constraintCount();
        if (optimizer.constraints() != m) {
            throw new IllegalArgumentException("the optimiser has " + optimizer.constraints()
                    + " constraints, the model " + m);
        }
        first = new double[m];
        second = new double[m];
        weights = new double[m];
    }

    public ConstrainedOptimizer optimizer() {
        return optimizer;
    }

    /**
     * One epoch of {@code steps} iterations, framed by the optimiser's epoch hooks.
     *
     * @return the mean of the batches' objectives {@code f(x_k; ξ)}
     */
    public double runEpoch(int epoch, int steps, BatchSource batches) {
        optimizer.beginEpoch(epoch);
        double mean = runSteps(epoch, steps, batches);
        optimizer.recordObjective(mean);
        optimizer.endEpoch(epoch);
        return mean;
    }

    /** {@code steps} iterations of {@code epoch} without the epoch hooks; returns the mean batch objective. */
    public double runSteps(int epoch, int steps, BatchSource batches) {
        double sum = 0;
        for (int step = 0; step < steps; step++) {
            if (optimizer.needsSecondSample()) {
                model.constraintValues(batches.rows(epoch, step, 1), second);
            }
            double objective = model.forward(batches.rows(epoch, step, 0), first);
            optimizer.dualStep(first);
            double a = optimizer.direction(first, optimizer.needsSecondSample() ? second : null, weights);
            model.backward(a, weights);
            optimizer.step(model.parameters(), model.gradients());
            sum += objective;
        }
        return steps == 0 ? Double.NaN : sum / steps;
    }
}
