package dev.constrained4j.models.hidden.noise;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Differentiable 8-bit quantisation (reference {@code noise_layers/quantization.py}): the batch is mapped
 * linearly from its own [min, max] to [0, 255], clipped, "rounded" by the Fourier series
 * {@code t + Σ_{n=1..10} (−1)^(n+1)/(πn) · sin(2πn t)}, and mapped back from the result's [min, max] to the
 * batch's original [min, max].
 */
public record Quantization() implements NoiseLayer {

    /** Terms of the Fourier series of the rounding function. */
    public static final int TERMS = 10;

    @Override
    public String name() {
        return "quant";
    }

    @Override
    public String spec() {
        return "quant()";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        SDVariable min = encoded.min();
        SDVariable max = encoded.max();
        SDVariable t = sd.math.clipByValue(encoded.sub(min).div(max.sub(min)).mul(255.0), 0.0, 255.0);
        SDVariable rounded = t;
        for (int n = 1; n <= TERMS; n++) {
            double weight = ((n % 2 == 1) ? 1.0 : -1.0) / (Math.PI * n);
            rounded = rounded.add(sd.math.sin(t.mul(2 * Math.PI * n)).mul(weight));
        }
        SDVariable rMin = rounded.min();
        SDVariable rMax = rounded.max();
        return rounded.sub(rMin).div(rMax.sub(rMin)).mul(max.sub(min)).add(min);
    }

    @Override
    public Map<String, INDArray> placeholders(long[] imageShape, SplittableRandom random, DataType type) {
        return Map.of();
    }
}
