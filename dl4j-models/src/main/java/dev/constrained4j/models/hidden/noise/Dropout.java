package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps each pixel of the watermarked image with probability {@code p ~ U(keepMin, keepMax)} and takes the
 * others from the cover image (reference {@code noise_layers/dropout.py}: one H×W mask per batch, shared by
 * all images and channels).
 */
public record Dropout(double keepMin, double keepMax) implements NoiseLayer {

    public Dropout {
        Rectangles.checkRange("dropout", "keep ratio", new double[]{keepMin, keepMax}, 1.0);
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public String spec() {
        return "dropout(" + keepMin + "," + keepMax + ")";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        return Rectangles.mix(sd, encoded, cover, imageSize, imageSize, encoded.dataType());
    }

    @Override
    public Map<String, INDArray> placeholders(long[] shape, SplittableRandom random, DataType type) {
        double keep = Rectangles.uniform(random, keepMin, keepMax);
        INDArray mask = Nd4j.zeros(type, 1, 1, shape[2], shape[3]);
        for (long i = 0; i < shape[2]; i++) {
            for (long j = 0; j < shape[3]; j++) {
                if (random.nextDouble() < keep) {
                    mask.putScalar(new long[]{0, 0, i, j}, 1.0);
                }
            }
        }
        return Map.of(Rectangles.MASK, mask);
    }
}
