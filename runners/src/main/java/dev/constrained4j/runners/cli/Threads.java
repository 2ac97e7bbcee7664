package dev.constrained4j.runners.cli;

import dev.constrained4j.runners.engine.NativeThreads;

/**
 * Sets ND4J's thread count (OpenMP and BLAS) before any training. On the 2-core machines this project targets,
 * one thread was measured faster than two for the MNIST MLP (BENCHMARKS.md, "Threads").
 *
 * <p>Measured: the setting takes effect after the native library has loaded, whether {@code OMP_NUM_THREADS} is
 * set or not. With {@code OMP_NUM_THREADS} unset, 1 thread ran 1 BLAS thread and 2 ran 2 (busy threads counted in
 * {@code /proc}); a fused MNIST epoch on 30,000 images took 12.3 s with 1 and 48.3 s with 2 on the loaded 2-core
 * machine, and 15.9 s with {@code OMP_NUM_THREADS=2} and 1 here, so the environment variable is not needed.
 */
public final class Threads {

    private Threads() {
    }

    public static void apply(int threads) {
        NativeThreads.requireValid(threads);
        NativeThreads.apply(threads);
    }
}
