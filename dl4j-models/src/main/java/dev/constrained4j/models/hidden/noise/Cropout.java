package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps a random rectangle of the watermarked image and takes the rest from the cover image (reference
 * {@code noise_layers/cropout.py}); same size as the input.
 */
public record Cropout(double[] heightRange, double[] widthRange) implements NoiseLayer {

    public Cropout {
        Rectangles.checkRange("cropout", "height ratio", heightRange, 1.0);
        Rectangles.checkRange("cropout", "width ratio", widthRange, 1.0);
        heightRange = heightRange.clone();
        widthRange = widthRange.clone();
    }

    @Override
    public String name() {
        return "cropout";
    }

    @Override
    public String spec() {
        return "cropout((" + heightRange[0] + "," + heightRange[1] + "),(" + widthRange[0] + "," + widthRange[1] + "))";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        return Rectangles.mix(sd, encoded, cover, imageSize, imageSize, encoded.dataType());
    }

    @Override
    public Map<String, INDArray> placeholders(long[] shape, SplittableRandom random, DataType type) {
        Rectangles.Rectangle r = Rectangles.random(shape[2], shape[3], heightRange, widthRange, random);
        return Map.of(Rectangles.MASK, Rectangles.rectangleMask(r, shape[2], shape[3], type));
    }
}
