package dev.constrained4j.models.downstream;

/**
 * Hyper-parameters of the {@link DownstreamClassifier}.
 *
 * @param size         side of the square input images, in pixels (the experiment's image size, e.g. 32)
 * @param classes      number of classes (3 for the MRI planes)
 * @param width        channels of the first convolution; the second has twice as many
 * @param epochs       training epochs
 * @param batchSize    images per training step
 * @param learningRate Adam learning rate
 * @param seed         seed of the weight initialisation and of the order of the training images
 */
public record DownstreamClassifierConfig(int size, int classes, int width, int epochs, int batchSize,
                                         double learningRate, long seed) {

    public DownstreamClassifierConfig {
        if (size < 4) {
            throw new IllegalArgumentException("size must be >= 4 pixels (two 2x2 poolings), got " + size);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1 channel, got " + width);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
    }

    /** 8 then 16 channels, 10 epochs of batches of 32, Adam 3e-3, seed 42. */
    public static DownstreamClassifierConfig defaults(int size, int classes) {
        return new DownstreamClassifierConfig(size, classes, 8, 10, 32, 3e-3, 42);
    }

    /** This configuration with another number of epochs. */
    public DownstreamClassifierConfig withEpochs(int newEpochs) {
        return new DownstreamClassifierConfig(size, classes, width, newEpochs, batchSize, learningRate, seed);
    }
}
