package dev.constrained4j.losses.constraint;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The per-image quality constraint of the HiDDeN experiment (docs/experiments.md, "The HiDDeN experiment"):
 * {@code PSNR_i >= T}, with
 *
 * <pre>  PSNR_i = 10·log10(1 / (mean over c,h,w of (enc_i − cover_i)² + 1e-8))</pre>
 *
 * (data range 1, unclamped encoder output, all channels). Written in the {@link SampleConstraint}
 * convention as {@code c_i = T − PSNR_i <= 0}, so the hinge violation is {@code max(0, T − PSNR_i)}.
 * Images have shape {@code [mb, channels, height, width]}; height and width may be unknown in the graph.
 *
 * @param threshold the bound {@code T} in dB (paper: 30, 40, 50)
 */
public record PsnrConstraint(double threshold) implements SampleConstraint {

    /** Added to the MSE before the logarithm, as the reference does. */
    public static final double MSE_EPSILON = 1e-8;
    /** {@code 10 / ln 10}: {@code 10·log10(x) = DB_PER_NEPER · ln(x)}. */
    private static final double DB_PER_NEPER = 10.0 / Math.log(10.0);

    public PsnrConstraint {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("PSNR threshold must be a finite number of dB, got " + threshold);
        }
    }

    @Override
    public String name() {
        return "psnr";
    }

    /** {@inheritDoc} Always 0: the threshold is inside {@code c_i = T − PSNR_i}. */
    @Override
    public double bound() {
        return 0.0;
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable output, SDVariable reference) {
        // T − PSNR = T + (10/ln10)·ln(mse + eps)
        return sd.math.log(perImageMse(sd, output, reference).add(MSE_EPSILON)).mul(DB_PER_NEPER).add(threshold);
    }

    @Override
    public INDArray evaluate(INDArray output, INDArray reference) {
        return psnr(output, reference).rsubi(threshold);
    }

    /** Per-image PSNR in a graph, shape {@code [mb, 1]}. */
    public static SDVariable definePsnr(SameDiff sd, SDVariable output, SDVariable reference) {
        return sd.math.log(perImageMse(sd, output, reference).add(MSE_EPSILON)).mul(-DB_PER_NEPER);
    }

    /** Per-image mean squared error over channels, height and width, shape {@code [mb, 1]}. */
    public static SDVariable perImageMse(SameDiff sd, SDVariable output, SDVariable reference) {
        SDVariable diff = output.sub(reference);
        return sd.expandDims(diff.mul(diff).mean(false, 1, 2, 3), 1);
    }

    /** Per-image PSNR of arrays {@code [mb, c, h, w]} (any floating type), as a vector of length {@code mb}. */
    public static INDArray psnr(INDArray output, INDArray reference) {
        if (!Arrays.equals(output.shape(), reference.shape())) {
            throw new IllegalArgumentException("image shapes differ: " + Arrays.toString(output.shape())
                    + " vs " + Arrays.toString(reference.shape()));
        }
        INDArray diff = output.sub(reference).reshape(output.size(0), -1);
        INDArray mse = diff.muli(diff).mean(1).addi(MSE_EPSILON);
        return Transforms.log(mse, false).muli(-DB_PER_NEPER);
    }

    /** PSNR values as a Java array, convenient for metrics. */
    public static double[] psnrValues(INDArray output, INDArray reference) {
        return psnr(output, reference).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** Fraction of images whose PSNR is at least {@code threshold}. */
    public double satisfiedFraction(INDArray output, INDArray reference) {
        double[] values = psnrValues(output, reference);
        long ok = Arrays.stream(values).filter(v -> v >= threshold).count();
        return values.length == 0 ? Double.NaN : ok / (double) values.length;
    }
}
