package dev.constrained4j.runners.mnist;

import java.util.Locale;

/** How an MNIST stage is computed; both train the same objective with the same data order. */
public enum MnistEngine {
    /**
     * The hand-written forward/backward pass and Adam step of {@code mnist.fast.FusedMnistMlp} in preallocated
     * arrays, with PyTorch's Adam: the default, several times faster than SameDiff on a CPU (BENCHMARKS.md).
     */
    FUSED,
    /**
     * The SameDiff graph of the model with the objective of {@code PenaltyObjective} (its single definition),
     * trained with {@code sd.fit}; DL4J's Adam puts ε outside the bias correction of v (a negligible difference).
     */
    SAMEDIFF;

    /** The lower-case name used on the command line and in {@code run.json}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line or {@code run.json} value. */
    public static MnistEngine parse(String text) {
        for (MnistEngine e : values()) {
            if (e.key().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine must be fused or samediff, got '" + text + "'");
    }
}
