package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps a random rectangle of the watermarked image, a fraction of its height and width drawn from the given
 * ranges (reference {@code noise_layers/crop.py}); the output is smaller than the input. The crop is a product
 * with 0/1 selection matrices fed as placeholders, so it is differentiable and one graph serves every size.
 */
public record Crop(double[] heightRange, double[] widthRange) implements NoiseLayer {

    public Crop {
        Rectangles.checkRange("crop", "height ratio", heightRange, 1.0);
        Rectangles.checkRange("crop", "width ratio", widthRange, 1.0);
        heightRange = heightRange.clone();
        widthRange = widthRange.clone();
    }

    @Override
    public String name() {
        return "crop";
    }

    @Override
    public String spec() {
        return "crop((" + heightRange[0] + "," + heightRange[1] + "),(" + widthRange[0] + "," + widthRange[1] + "))";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        return Rectangles.select(sd, encoded, imageSize, imageSize, encoded.dataType());
    }

    @Override
    public Map<String, INDArray> placeholders(long[] shape, SplittableRandom random, DataType type) {
        Rectangles.Rectangle r = Rectangles.random(shape[2], shape[3], heightRange, widthRange, random);
        return Map.of(Rectangles.ROWS, Rectangles.selection(Rectangles.range(r.top(), r.height()), shape[2], type),
                Rectangles.COLUMNS, Rectangles.selection(Rectangles.range(r.left(), r.width()), shape[3], type));
    }
}
