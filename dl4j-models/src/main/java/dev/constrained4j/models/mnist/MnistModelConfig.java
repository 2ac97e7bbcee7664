package dev.constrained4j.models.mnist;

/**
 * Sizes of the MNIST classifier-decoder: encoder {@code inputs→hidden (ReLU)→code (linear)}, classifier
 * {@code code→classes}, decoder {@code code→hidden (ReLU)→inputs (sigmoid)}. {@link #reference()} gives the
 * reference's 784/256/20/10.
 */
public record MnistModelConfig(int inputs, int hidden, int code, int classes) {

    public MnistModelConfig {
        check("inputs", inputs);
        check("hidden", hidden);
        check("code", code);
        check("classes", classes);
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
    }

    private static void check(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }

    /** The reference's sizes: 784 → 256 → 20, 10 classes. */
    public static MnistModelConfig reference() {
        return new MnistModelConfig(784, 256, 20, 10);
    }
}
