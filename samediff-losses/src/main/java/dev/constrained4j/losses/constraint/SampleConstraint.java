package dev.constrained4j.losses.constraint;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A constraint imposed on every single sample: {@code c(w; x_i) <= bound()}.
 *
 * <p>Sign convention: a sample is <em>satisfied</em> when its value {@code c_i} is at most {@link #bound()};
 * its violation is {@code max(0, c_i - bound)}. A constraint of the form {@code g_i >= T} is written with
 * {@code c_i = -g_i} or {@code c_i = T - g_i}, so every method can consume the same contract.
 *
 * <p>Both forms compute the same numbers: {@link #define} for training (a SameDiff graph, one value per
 * sample, shape {@code [mb, 1]}) and {@link #evaluate} for evaluation on plain arrays (shape {@code [mb]}).
 * Values are per sample: never summed or averaged over the batch here; averaging is the objective's job.
 */
public interface SampleConstraint {

    /** Short name used in metric columns and reports, e.g. {@code recon_mse}. */
    String name();

    /** The bound {@code B}: a sample is satisfied when {@code c_i <= B}. */
    double bound();

    /**
     * Defines the per-sample values in a SameDiff graph.
     *
     * @param sd        the graph
     * @param output    the model output the constraint is about, first dimension the batch
     * @param reference what the output is compared with (same shape as {@code output})
     * @return the values {@code c_i}, shape {@code [mb, 1]}
     */
    SDVariable define(SameDiff sd, SDVariable output, SDVariable reference);

    /**
     * Computes the per-sample values on arrays, with the same definition as {@link #define}.
     *
     * @return the values {@code c_i}, a vector of length {@code mb}
     */
    INDArray evaluate(INDArray output, INDArray reference);
}
