package dev.constrained4j.runners.hidden;

import dev.constrained4j.data.EpochOrder;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The message bits fed to the encoder, uniform in {0, 1} (fresh random bits per batch: docs/experiments.md,
 * "The HiDDeN experiment"). Training bits are a function of (seed, epoch, batch), so a resumed run draws exactly those
 * of an uninterrupted one; the bits of a validation or test image are a function of (seed, split, image index) and stay
 * the same every epoch, so epochs are compared on the same messages.
 */
final class HiddenMessages {

    private static final long TRAIN_STREAM = 31;
    /** Stream of the validation split's messages. */
    static final long VALIDATION_STREAM = 32;
    /** Stream of the test split's messages. */
    static final long TEST_STREAM = 33;
    /** Stream of the training images' fixed messages in the precise batch-norm pass. */
    static final long CALIBRATION_STREAM = 34;

    private HiddenMessages() {
    }

    /** The bits of training batch {@code batch} of {@code epoch}: {@code [rows, bits]}. */
    static INDArray training(long seed, int epoch, int batch, int rows, int bits) {
        SplittableRandom random = new SplittableRandom(EpochOrder.mix(EpochOrder.mix(seed, TRAIN_STREAM, epoch), batch, 0));
        float[] values = new float[rows * bits];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextBoolean() ? 1f : 0f;
        }
        return Nd4j.create(values, new long[]{rows, bits}, DataType.FLOAT);
    }

    /** The fixed bits of images {@code first .. first+rows-1} of a split: {@code [rows, bits]}. */
    static INDArray fixed(long seed, long stream, int first, int rows, int bits) {
        float[] values = new float[rows * bits];
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = new SplittableRandom(EpochOrder.mix(seed, stream, first + r));
            for (int j = 0; j < bits; j++) {
                values[r * bits + j] = random.nextBoolean() ? 1f : 0f;
            }
        }
        return Nd4j.create(values, new long[]{rows, bits}, DataType.FLOAT);
    }

    /**
     * The batch boundaries of {@code n} images in batches of {@code size}: a last batch of a single image is
     * merged into the one before (batch norm needs two images per batch).
     *
     * @return {@code k + 1} boundaries for {@code k} batches
     */
    static int[] boundaries(int n, int size) {
        int batches = Math.max(1, (n + size - 1) / size);
        if (n > 1 && n % size == 1 && batches > 1) {
            batches--;
        }
        int[] bounds = new int[batches + 1];
        for (int b = 0; b < batches; b++) {
            bounds[b] = b * size;
        }
        bounds[batches] = n;
        return bounds;
    }
}
