package dev.constrained4j.runners.hidden;

import dev.constrained4j.data.images.ImageSet;
import dev.constrained4j.models.hidden.HiddenSystem;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The metrics of one HiDDeN model on a set of images: per-image PSNR and bit error rate, and the batch means of
 * the losses weighted by batch size (so they are means over images).
 *
 * @param psnr       per-image PSNR in dB
 * @param ber        per-image bit error rate
 * @param decoderMse mean message MSE
 * @param encoderMse mean image MSE
 * @param generatorAdversarial the generator's adversarial BCE {@code BCE(D(enc), 1)}
 * @param discriminatorLoss    the discriminator's loss {@code BCE(D(cover), 1) + BCE(D(enc), 0)}
 * @param loss       the generator objective
 * @param encoded    the encoder's output, unclamped: for every image, or for the first batch only (pictures)
 */
record HiddenEvaluation(double[] psnr, double[] ber, double decoderMse, double encoderMse,
                        double generatorAdversarial, double discriminatorLoss, double loss, INDArray encoded) {

    /**
     * Evaluates {@code system} (batch norm in evaluation mode) on every image of {@code set}.
     *
     * @param allEncoded keep the watermarked version of every image (test split), not only of the first batch
     */
    static HiddenEvaluation of(HiddenSystem system, ImageSet set, long seed, long messageStream, int batchSize,
                               boolean allEncoded) {
        int n = set.size();
        int bits = system.config().messageBits();
        double[] psnr = new double[n];
        double[] ber = new double[n];
        double[] sums = new double[5];
        INDArray first = null;
        INDArray all = allEncoded ? Nd4j.create(DataType.FLOAT, set.features().shape()) : null;
        int[] bounds = HiddenMessages.boundaries(n, batchSize);
        for (int b = 0; b + 1 < bounds.length; b++) {
            int from = bounds[b];
            int to = bounds[b + 1];
            INDArray cover = set.features().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            INDArray message = HiddenMessages.fixed(seed, messageStream, from, to - from, bits);
            HiddenSystem.BatchResult r = system.validateOnBatch(cover, message);
            System.arraycopy(r.psnr(), 0, psnr, from, to - from);
            System.arraycopy(r.bitErrors(), 0, ber, from, to - from);
            int rows = to - from;
            sums[0] += rows * r.decoderMse();
            sums[1] += rows * r.encoderMse();
            sums[2] += rows * r.adversarialBce();
            sums[3] += rows * (r.discriminatorCoverBce() + r.discriminatorEncodedBce());
            sums[4] += rows * r.totalLoss();
            if (first == null) {
                first = r.encoded();
            }
            if (all != null) {
                all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                        .assign(r.encoded().castTo(DataType.FLOAT));
            }
        }
        return new HiddenEvaluation(psnr, ber, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n,
                all != null ? all : first);
    }

    /** Mean PSNR. */
    double meanPsnr() {
        return mean(psnr);
    }

    /** Mean bit error rate. */
    double meanBer() {
        return mean(ber);
    }

    /** Fraction of images with {@code PSNR_i >= bound}. */
    double satisfied(double bound) {
        return Arrays.stream(psnr).filter(p -> p >= bound).count() / (double) psnr.length;
    }

    /** Mean violation {@code mean_i max(0, bound − PSNR_i)}. */
    double violation(double bound) {
        return Arrays.stream(psnr).map(p -> Math.max(0, bound - p)).average().orElse(Double.NaN);
    }

    /**
     * Puts the metrics under {@code prefix} ({@code val_}); the constraint metrics are NaN ("not applicable") when
     * {@code bound} is NaN (the baseline).
     */
    void putInto(Map<String, Double> metrics, String prefix, double bound) {
        metrics.put(prefix + "loss", loss);
        metrics.put(prefix + "ber", meanBer());
        metrics.put(prefix + "dec_mse", decoderMse);
        metrics.put(prefix + "enc_mse", encoderMse);
        metrics.put(prefix + "psnr", meanPsnr());
        metrics.put(prefix + "satisfied", Double.isNaN(bound) ? Double.NaN : satisfied(bound));
        metrics.put(prefix + "violation", Double.isNaN(bound) ? Double.NaN : violation(bound));
        metrics.put(prefix + "g_adv", generatorAdversarial);
        metrics.put(prefix + "d_loss", discriminatorLoss);
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
