package dev.constrained4j.models.weights;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's initialisations, drawn from a generator of our own (not ND4J's global one) and written into the live
 * parameter views of a graph. Conv weights are {@code [out, in, k, k]} (fan-in {@code in·k·k}, fan-out
 * {@code out·k·k}); dense weights are DL4J's {@code [in, out]} (fan-in {@code in}).
 */
final class Init {

    private Init() {
    }

    /** {@code U(−limit, limit)}: PyTorch's default for conv and linear weights and biases with limit 1/√fan_in. */
    static void uniform(INDArray target, double limit, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(target.length())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
        write(target, v);
    }

    /** {@code N(0, std²)}: torchvision's kaiming-normal (std √(2/fan_out)) and its linear N(0, 0.01²). */
    static void normal(INDArray target, double std, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(target.length())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        write(target, v);
    }

    /** 1/√fan_in of a conv ({@code [out, in, k, k]}) or dense ({@code [in, out]}) weight. */
    static double fanInLimit(INDArray weight) {
        long fanIn = weight.rank() == 4 ? weight.size(1) * weight.size(2) * weight.size(3) : weight.size(0);
        return 1 / Math.sqrt(fanIn);
    }

    /** √(2/fan_out) of a conv weight {@code [out, in, k, k]} (kaiming-normal, mode fan_out, ReLU gain). */
    static double kaimingFanOutStd(INDArray convWeight) {
        long fanOut = convWeight.size(0) * convWeight.size(2) * convWeight.size(3);
        return Math.sqrt(2.0 / fanOut);
    }

    private static void write(INDArray target, float[] values) {
        target.assign(Nd4j.create(values, target.shape(), 'c').castTo(target.dataType()));
    }
}
