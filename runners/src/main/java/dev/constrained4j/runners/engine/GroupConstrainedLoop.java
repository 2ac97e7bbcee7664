package dev.constrained4j.runners.engine;

import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import dev.constrained4j.models.tabular.GroupConstrainedClassifier;
import java.util.Objects;

/**
 * The iteration loop of constraints that are expectations over groups of rows ({@code docs/methods.md}, "Constrained
 * optimisers"): per step, a group-balanced batch {@code ξ} (and, for an optimiser that asks for one, an independent
 * batch {@code ζ₂}), the classifier's forward pass for the objective and the constraint values, the optimiser's dual
 * step, the gradient combination it asks for, one backward pass and its primal step, in the call order of
 * {@link ConstrainedOptimizer}. Where {@link MinibatchLoop} visits every sample once per epoch and gives each its own
 * constraint term, a constraint here is a property of a batch (a group's positive rate), so the loop draws batches
 * with every group in them. Usable from plain Java code. Not thread-safe.
 */
public final class GroupConstrainedLoop {

    /** The rows of every batch: a pure function of its coordinates (so a resumed epoch repeats itself). */
    public interface BatchSource {
        /** The rows of batch {@code step} of {@code epoch}; stream 0 is the objective's, stream 1 the second sample. */
        int[] rows(int epoch, int step, int stream);
    }

    /** The training rows: features (row-major, {@code width} per row), labels (0/1) and groups. */
    public record Rows(double[] features, int width, int[] labels, int[] groups) {
        public Rows {
            if (width < 1 || features.length != (long) labels.length * width || labels.length != groups.length) {
                throw new IllegalArgumentException(features.length + " feature values of width " + width + ", "
                        + labels.length + " labels and " + groups.length + " groups");
            }
        }

        public int size() {
            return labels.length;
        }
    }

    private final GroupConstrainedClassifier model;
    private final ConstrainedOptimizer optimizer;
    private final Rows data;
    private final double[] first;
    private final double[] second;
    private final double[] weights;

    public GroupConstrainedLoop(GroupConstrainedClassifier model, ConstrainedOptimizer optimizer, Rows data) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.data = Objects.requireNonNull(data, "data");
        int m = model.constraints().count();
        if (optimizer.constraints() != m) {
            throw new IllegalArgumentException("the optimiser has " + optimizer.constraints()
                    + " constraints, the classifier " + m);
        }
        first = new double[m];
        second = new double[m];
        weights = new double[m];
    }

    public ConstrainedOptimizer optimizer() {
        return optimizer;
    }

    /**
     * One epoch of {@code steps} iterations.
     *
     * @return the mean of the batches' objectives {@code f(x_k; ξ)}
     */
    public double runEpoch(int epoch, int steps, BatchSource batches) {
        optimizer.beginEpoch(epoch);
        double sum = 0;
        for (int step = 0; step < steps; step++) {
            if (optimizer.needsSecondSample()) {
                int[] rows = batches.rows(epoch, step, 1);
                model.constraintValues(data.features(), rows, pick(data.groups(), rows), second);
            }
            int[] rows = batches.rows(epoch, step, 0);
            double objective = model.forward(data.features(), rows, pick(data.labels(), rows),
                    pick(data.groups(), rows), first);
            optimizer.dualStep(first);
            double a = optimizer.direction(first, optimizer.needsSecondSample() ? second : null, weights);
            model.backward(a, weights);
            optimizer.step(model.parameters(), model.gradients());
            sum += objective;
        }
        optimizer.endEpoch(epoch);
        return steps == 0 ? Double.NaN : sum / steps;
    }

    private static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }
}
