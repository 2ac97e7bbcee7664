package dev.constrained4j.runners.engine;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's thread counts (its own, OpenMP's and BLAS's) for the calling thread and the process. OpenMP's count is a
 * per-thread setting: a thread that the command line did not configure (a Spark task's, say) starts with the
 * default of {@code OMP_NUM_THREADS} or the core count, and then computes with another number of threads, which is
 * slower on a loaded machine and rounds some sums differently. So every thread that trains calls this first.
 */
public final class NativeThreads {

    private NativeThreads() {
    }

    /** Refuses a thread count below 1, with the option's name in the message. */
    public static void requireValid(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
    }

    /**
     * Sets ND4J to {@code threads} threads, in this thread and for the process. Measured: libnd4j's count only goes
     * down; after 1 in a JVM, a later 2 leaves {@code Nd4j.getEnvironment().maxThreads()} at 1 (each command line
     * runs in its own JVM, so this matters only to tests that run several commands in one).
     */
    public static void apply(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        // OpenMP's own pool (used by the oneDNN and BLAS kernels) is sized from OMP_NUM_THREADS when the native
        // library loads; without this call an unset variable leaves it at the core count. After the line above,
        // which loads the backend.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
