package dev.constrained4j.data.cifar;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-channel mean and standard deviation of pixels in [0, 1], for {@code x ← (x − mean_c)/std_c}. Compute them on
 * the training split ({@link CifarData#channelStats()}) and apply the same to the test split.
 *
 * @param mean one value per channel
 * @param std  one positive value per channel
 */
public record ChannelStats(double[] mean, double[] std) {

    /**
     * The constants that the seed's code ({@code dlavado/SAL}, {@code core/data_modules/cifar10.py}) uses for CIFAR-10
     * and CIFAR-100 alike: pl_bolts' {@code cifar10_normalization()}, mean (125.3, 123.0, 113.9)/255, std
     * (63.0, 62.1, 66.7)/255.
     */
    public static final ChannelStats SEED_REFERENCE = new ChannelStats(
            new double[]{125.3 / 255, 123.0 / 255, 113.9 / 255}, new double[]{63.0 / 255, 62.1 / 255, 66.7 / 255});

    public ChannelStats {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must have one value per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + ", std " + std[c]
                        + " (std must be finite and > 0)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** Normalises {@code images} ({@code [n, channels, h, w]}) in place and returns them. */
    public INDArray applyInPlace(INDArray images) {
        if (images.rank() != 4 || images.size(1) != mean.length) {
            throw new IllegalArgumentException("images must be [n, " + mean.length + ", h, w], got "
                    + Arrays.toString(images.shape()));
        }
        for (int c = 0; c < mean.length; c++) {
            images.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                    .subi(mean[c]).divi(std[c]);
        }
        return images;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStats s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
