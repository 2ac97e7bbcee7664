package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour resize by a factor {@code r ~ U(min, max)} (reference {@code noise_layers/resize.py}, PyTorch
 * {@code F.interpolate(scale_factor=r, mode='nearest')}: output size {@code floor(r·H)}, source index
 * {@code min(floor(i/r), H−1)}), as a product with selection matrices fed as placeholders.
 */
public record Resize(double minRatio, double maxRatio) implements NoiseLayer {

    public Resize {
        Rectangles.checkRange("resize", "ratio", new double[]{minRatio, maxRatio}, 16.0);
    }

    @Override
    public String name() {
        return "resize";
    }

    @Override
    public String spec() {
        return "resize(" + minRatio + "," + maxRatio + ")";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        return Rectangles.select(sd, encoded, imageSize, imageSize, encoded.dataType());
    }

    @Override
    public Map<String, INDArray> placeholders(long[] shape, SplittableRandom random, DataType type) {
        double ratio = Rectangles.uniform(random, minRatio, maxRatio);
        return Map.of(Rectangles.ROWS, Rectangles.selection(sources(shape[2], ratio), shape[2], type),
                Rectangles.COLUMNS, Rectangles.selection(sources(shape[3], ratio), shape[3], type));
    }

    static int[] sources(long size, double ratio) {
        int out = (int) Math.max(1, Math.floor(size * ratio));
        int[] idx = new int[out];
        for (int i = 0; i < out; i++) {
            idx[i] = (int) Math.min(Math.floor(i / ratio), size - 1);
        }
        return idx;
    }
}
