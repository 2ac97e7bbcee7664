package dev.constrained4j.runners.cli;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets ND4J's thread count (OpenMP and BLAS) before any training. On the 2-core machines this project targets,
 * one thread was measured faster than two for the MNIST MLP (README, "Threads").
 */
public final class Threads {

    private Threads() {
    }

    public static void apply(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
