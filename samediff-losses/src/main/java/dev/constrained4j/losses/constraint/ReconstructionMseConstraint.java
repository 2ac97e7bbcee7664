package dev.constrained4j.losses.constraint;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-sample reconstruction error: {@code c_i = mean over features of (x_i - x̂_i)^2}, satisfied when
 * {@code c_i <= bound} (the MNIST decoder constraint, bound 0.01: docs/experiments.md, "The MNIST experiment"). Inputs
 * of rank above 2 are flattened per sample for {@link #evaluate}; the SameDiff form takes {@code [mb, features]}.
 */
public record ReconstructionMseConstraint(double bound) implements SampleConstraint {

    /** The bound of the reference's MNIST experiment. */
    public static final double MNIST_BOUND = 1e-2;

    public ReconstructionMseConstraint {
        if (!Double.isFinite(bound) || bound < 0) {
            throw new IllegalArgumentException("bound must be a finite number >= 0, got " + bound);
        }
    }

    @Override
    public String name() {
        return "recon_mse";
    }

    /** {@inheritDoc} Both arrays have shape {@code [mb, features]}. */
    @Override
    public SDVariable define(SameDiff sd, SDVariable output, SDVariable reference) {
        SDVariable diff = output.sub(reference);
        return diff.mul(diff).mean(true, 1);
    }

    @Override
    public INDArray evaluate(INDArray output, INDArray reference) {
        INDArray diff = output.sub(reference).reshape(output.size(0), -1);
        return diff.muli(diff).mean(1);
    }
}
