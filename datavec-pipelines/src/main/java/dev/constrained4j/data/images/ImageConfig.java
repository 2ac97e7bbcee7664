package dev.constrained4j.data.images;

/**
 * How images are decoded: every image becomes {@code 3 × size × size} (resized, grey copied to the three
 * channels), values in [0, 1].
 *
 * @param size      the side of the square images produced, in pixels
 * @param minSize   the smallest width and height a source image may have; a smaller one is an error, not upscaled
 * @param recursive whether a folder is searched at every depth; otherwise only the folder itself and its direct
 *                  subfolders (one per class) are read
 */
public record ImageConfig(int size, int minSize, boolean recursive) {

    /** The size of the CPU default of the HiDDeN experiment (docs/experiments.md, "The HiDDeN experiment"). */
    public static final int DEFAULT_SIZE = 32;
    /** The largest side an image may be decoded to. */
    public static final int MAX_SIZE = 4096;

    public ImageConfig {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in 1.." + MAX_SIZE + " pixels, got " + size);
        }
        if (minSize < 1) {
            throw new IllegalArgumentException("minSize must be >= 1 pixel, got " + minSize);
        }
    }

    /** Images of {@code size} pixels from sources of at least 8×8 pixels, folders searched recursively. */
    public static ImageConfig of(int size) {
        return new ImageConfig(size, 8, true);
    }
}
