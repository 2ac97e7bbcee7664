package dev.constrained4j.models.hidden;

/**
 * Sizes and loss weights of the HiDDeN networks (docs/experiments.md, "The HiDDeN experiment"; reference
 * {@code HiDDeN/main.py}, which builds {@code HiDDenConfiguration(encoder_blocks=4, decoder_blocks=7,
 * discriminator_blocks=3, channels 64, decoder_loss=1, encoder_loss=0.7, adversarial_loss=1e-3)} and two Adam
 * optimizers with lr 1e-4).
 *
 * @param imageSize           height = width {@code H} of the cover images
 * @param messageBits         message length {@code L}
 * @param channels            convolution channels of every block (64)
 * @param encoderBlocks       ConvBNReLU blocks before the concatenation (4)
 * @param decoderBlocks       ConvBNReLU blocks 3→C then C→C before the final C→L block (7: one 3→C, six C→C)
 * @param discriminatorBlocks ConvBNReLU blocks of the discriminator (3)
 * @param encoderWeight       weight of the image MSE in the baseline generator loss (0.7)
 * @param decoderWeight       weight of the message MSE (1)
 * @param adversarialWeight   weight of the generator's adversarial BCE (1e-3)
 * @param learningRate        Adam learning rate of both optimizers (1e-4)
 */
public record HiddenConfig(int imageSize, int messageBits, int channels, int encoderBlocks, int decoderBlocks,
                           int discriminatorBlocks, double encoderWeight, double decoderWeight,
                           double adversarialWeight, double learningRate) {

    public HiddenConfig {
        positive("imageSize", imageSize);
        positive("messageBits", messageBits);
        positive("channels", channels);
        positive("encoderBlocks", encoderBlocks);
        positive("decoderBlocks", decoderBlocks);
        positive("discriminatorBlocks", discriminatorBlocks);
        nonNegative("encoderWeight", encoderWeight);
        nonNegative("decoderWeight", decoderWeight);
        nonNegative("adversarialWeight", adversarialWeight);
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
    }

    /** The reference's configuration for the given image size and message length. */
    public static HiddenConfig reference(int imageSize, int messageBits) {
        return new HiddenConfig(imageSize, messageBits, 64, 4, 7, 3, 0.7, 1.0, 1e-3, 1e-4);
    }

    /** The same configuration with another channel count (small networks for tests). */
    public HiddenConfig withChannels(int newChannels) {
        return new HiddenConfig(imageSize, messageBits, newChannels, encoderBlocks, decoderBlocks,
                discriminatorBlocks, encoderWeight, decoderWeight, adversarialWeight, learningRate);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }

    private static void nonNegative(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
        }
    }
}
