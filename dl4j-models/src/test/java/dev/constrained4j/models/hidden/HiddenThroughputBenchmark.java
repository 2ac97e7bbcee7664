package dev.constrained4j.models.hidden;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of {@link HiddenSystem#trainOnBatch} (baseline, with discriminator, 30 bits, 64 channels,
 * batch 16), to compare with the PyTorch reference (SPEC §4: 18 images/s at 32 px, 4.5 at 64 px, one thread).
 * Not a test: its name does not match surefire's patterns; run it with
 * {@code OMP_NUM_THREADS=1 mvn -pl dl4j-models -am test -Dtest=HiddenThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HiddenThroughputBenchmark {

    @Test
    void imagesPerSecond() {
        for (int size : new int[]{32, 64}) {
            HiddenSystem system = HiddenSystem.baseline(HiddenConfig.reference(size, 30), "", 1);
            int batch = 16;
            INDArray cover = Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
            INDArray message = Nd4j.rand(DataType.FLOAT, batch, 30).gt(0.5).castTo(DataType.FLOAT);
            for (int i = 0; i < 2; i++) {
                system.trainOnBatch(cover, message, 0);
            }
            int steps = size == 32 ? 4 : 2;
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                system.trainOnBatch(cover, message, 0);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("HIDDEN-BENCH %d px, batch %d: %.2f images/s (%.2f s/step)%n", size, batch,
                    steps * batch / seconds, seconds / steps);
        }
    }
}
