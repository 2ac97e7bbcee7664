package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** No distortion: the paper's setting (docs/experiments.md, "The HiDDeN experiment") and the default. */
public record Identity() implements NoiseLayer {

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public String spec() {
        return "identity";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        // a new variable, so that naming the output does not rename the input
        return sd.identity(encoded);
    }

    @Override
    public Map<String, INDArray> placeholders(long[] imageShape, SplittableRandom random, DataType type) {
        return Map.of();
    }
}
