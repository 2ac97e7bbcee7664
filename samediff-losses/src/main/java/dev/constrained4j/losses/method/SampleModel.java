package dev.constrained4j.losses.method;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model as the training loop sees it: for the samples of a batch, its forward pass gives each sample's objective
 * term {@code ℓ_i} and constraint value {@code c_i}; its backward pass turns the method's derivative factors
 * ({@link BatchTerms}, {@link SampleBatch#weights()}) into the gradient of every trained parameter. It knows nothing
 * of the method: no coefficient, no multiplier, no penalty function.
 *
 * @param <D> the data set the batch's indices point into
 */
public interface SampleModel<D> {

    /**
     * Forward pass of the samples {@code batch.indices()} of {@code data}: fills {@code batch.losses()} and
     * {@code batch.constraints()}. The state needed by {@link #backward} is kept until then.
     *
     * @param needConstraints false when the method ignores the constraint (the model may skip computing it and
     *                        leave zeros)
     */
    void forward(D data, SampleBatch batch, boolean needConstraints);

    /**
     * Backward pass of the last {@link #forward}: fills {@link #gradients()} with
     * {@code Σ_i (∂L/∂ℓ_i·∇ℓ_i + ∂L/∂c_i·∇c_i)}, {@code ∂L/∂ℓ_i = terms.lossScale()/b},
     * {@code ∂L/∂c_i = terms.constraintScale()·w_i/b}.
     */
    void backward(SampleBatch batch, BatchTerms terms);

    /** The trained parameters, by name (live: the optimiser updates them in place). */
    Map<String, INDArray> parameters();

    /** The gradients of the last {@link #backward}, keyed as {@link #parameters()} (live). */
    Map<String, INDArray> gradients();
}
