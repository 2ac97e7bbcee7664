package dev.constrained4j.data.images;

/**
 * The train, validation and test images of one data set, split by a {@link SplitConfig}.
 *
 * @param train      training images
 * @param validation validation images
 * @param test       test images
 */
public record ImageSplits(ImageSet train, ImageSet validation, ImageSet test) {

    public ImageSplits {
        if (train == null || validation == null || test == null) {
            throw new IllegalArgumentException("train, validation and test must not be null");
        }
    }
}
