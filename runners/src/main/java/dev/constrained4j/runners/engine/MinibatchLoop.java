package dev.constrained4j.runners.engine;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.method.SampleModel;
import dev.constrained4j.models.optim.AdamOptimizer;
import java.util.Objects;

/**
 * The one minibatch loop of the project: for every batch of an epoch, the model's forward pass gives
 * {@code ℓ_i} and {@code c_i}, the method turns them into the objective and its derivative factors, the model's
 * backward pass gives the gradient, the optimiser steps, and the method takes its dual step; the method's epoch
 * hooks frame the epoch (call order: {@link ConstrainedMethod}). MNIST and HiDDeN, fused and SameDiff engines,
 * every method train through it.
 *
 * <p>Usable from plain Java code: it needs a model, a method, an optimiser and the data, and no command line, run
 * folder or UI ({@code docs/methods.md} has an example). Not thread-safe.
 *
 * @param <D> the data set the model reads batches from
 */
public final class MinibatchLoop<D> {

    /** Observes every step (live monitors); must be cheap. */
    public interface StepListener {
        /** After the dual step of a batch of {@code batchSize} samples whose objective was {@code objective}. */
        void onStep(int epoch, double objective, int batchSize);
    }

    private final SampleModel<D> model;
    private final ConstrainedMethod method;
    private final AdamOptimizer optimizer;
    private final D data;
    private final SampleBatch batch = new SampleBatch(0);

    public MinibatchLoop(SampleModel<D> model, ConstrainedMethod method, AdamOptimizer optimizer, D data) {
        this.model = Objects.requireNonNull(model, "model");
        this.method = Objects.requireNonNull(method, "method");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The method being trained with. */
    public ConstrainedMethod method() {
        return method;
    }

    /**
     * One epoch: the samples of {@code order} in consecutive batches of {@code batchSize} (the last one smaller).
     *
     * @return the mean of the batch objectives (NaN for an empty order)
     */
    public double runEpoch(int epoch, int[] order, int batchSize, StepListener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int batches = (order.length + batchSize - 1) / batchSize;
        int[] bounds = new int[batches + 1];
        for (int b = 0; b < batches; b++) {
            bounds[b] = b * batchSize;
        }
        bounds[batches] = order.length;
        return runEpoch(epoch, order, bounds, listener);
    }

    /**
     * One epoch: batch {@code k} holds the samples {@code order[bounds[k]] … order[bounds[k+1] − 1]}.
     *
     * @param bounds increasing positions in {@code order}, from 0 to {@code order.length}
     * @return the mean of the batch objectives (NaN for an empty order)
     */
    public double runEpoch(int epoch, int[] order, int[] bounds, StepListener listener) {
        if (bounds.length < 1 || bounds[0] != 0 || bounds[bounds.length - 1] != order.length) {
            throw new IllegalArgumentException("batch bounds must run from 0 to " + order.length);
        }
        method.beginEpoch(epoch);
        boolean needConstraints = method.usesConstraint();
        double sum = 0;
        int count = 0;
        for (int k = 0; k + 1 < bounds.length; k++) {
            int start = bounds[k];
            int n = bounds[k + 1] - start;
            if (n <= 0) {
                throw new IllegalArgumentException("batch bounds must increase, got " + start + ", " + bounds[k + 1]);
            }
            batch.resize(n);
            long[] indices = batch.indices();
            for (int i = 0; i < n; i++) {
                indices[i] = order[start + i];
            }
            model.forward(data, batch, needConstraints);
            BatchTerms terms = method.terms(batch);
            model.backward(batch, terms);
            optimizer.step(model.parameters(), model.gradients());
            method.dualStep(batch);
            sum += terms.objective();
            count++;
            if (listener != null) {
                listener.onStep(epoch, terms.objective(), n);
            }
        }
        method.endEpoch(epoch);
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Trains {@code epochs} epochs over {@code size} samples, each epoch in a seeded random order
     * ({@link EpochOrder#permutation}), and returns the last epoch's mean batch objective: the whole loop for a
     * user who needs no evaluation, checkpoints or records.
     */
    public double fit(int epochs, int size, int batchSize, long seed) {
        double last = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            last = runEpoch(epoch, EpochOrder.permutation(size, seed, 0, epoch), batchSize, null);
        }
        return last;
    }
}
