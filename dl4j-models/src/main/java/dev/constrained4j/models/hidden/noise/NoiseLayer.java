package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable distortion applied to the watermarked image before the decoder (docs/experiments.md,
 * "The HiDDeN experiment"; reference {@code HiDDeN/noise_layers}). Contract: {@link #define} is called once per graph;
 * its random parameters (crop rectangle, dropout mask…) are placeholders whose values {@link #placeholders} draws for
 * each batch from the generator it is given, so one graph serves every batch. The output has shape
 * {@code [mb, 3, H', W']}; only crop and resize change {@code H', W'}.
 */
public interface NoiseLayer {

    /** Short name, e.g. {@code crop}. */
    String name();

    /** This layer in the {@code --noise} syntax of {@link NoiseSpec}, e.g. {@code crop((0.2,0.3),(0.4,0.5))}. */
    String spec();

    /**
     * Defines the noised image.
     *
     * @param encoded   the watermarked images {@code [mb, 3, H, W]}
     * @param cover     the cover images, same shape
     * @param imageSize {@code H = W}
     */
    SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize);

    /** The placeholder values for one batch of images of the given shape (empty if the layer has none). */
    Map<String, INDArray> placeholders(long[] imageShape, SplittableRandom random, DataType type);
}
