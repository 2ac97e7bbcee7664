package dev.constrained4j.runners.mnist;

import java.util.Locale;

/**
 * The refinement modes of the MNIST experiment (docs/experiments.md, "The MNIST experiment"), and the warm-up that
 * precedes them.
 */
public enum MnistMode {
    /** Cross-entropy only, no weight decay: the shared starting point. */
    WARM(false),
    /** Cross-entropy only; the decoder is not trained, so its constraint metrics are not applicable. */
    PLAIN(false),
    /** {@code CE + λ · batch-mean MSE}, fixed λ, no threshold. */
    FIXED(true),
    /** The sequential penalty {@code CE + τ_k · max(0, MSE_i − B)} with a growing τ. */
    PENALTY(true),
    /** The augmented Lagrangian with one multiplier per training image. */
    ALM(true);

    private final boolean decoder;

    MnistMode(boolean decoder) {
        this.decoder = decoder;
    }

    /** Whether the decoder is part of the trained graph. */
    public boolean hasDecoder() {
        return decoder;
    }

    /** The lower-case name used on the command line, in file names and in metrics. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
