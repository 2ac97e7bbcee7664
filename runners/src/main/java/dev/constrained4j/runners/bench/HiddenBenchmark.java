package dev.constrained4j.runners.bench;

import dev.constrained4j.losses.method.PenaltyMethod;
import dev.constrained4j.models.hidden.HiddenConfig;
import dev.constrained4j.models.hidden.HiddenSampleModel;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.runners.cli.Threads;
import dev.constrained4j.runners.engine.MinibatchLoop;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * HiDDeN training throughput through the public API, {@link HiddenSystem#baseline} trained by the
 * {@link MinibatchLoop} with the baseline's fixed penalty (baseline step with discriminator, 30 bits, 64 channels,
 * random images),
 * what {@code bench/hidden_reference.py} measures in PyTorch. Prints one JSON line.
 * Usage: {@code HiddenBenchmark size batch steps [threads]}.
 */
public final class HiddenBenchmark {

    private HiddenBenchmark() {
    }

    public static void main(String[] args) {
        int size = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int bits = 30;
        Threads.apply(threads);
        HiddenSystem system = HiddenSystem.baseline(HiddenConfig.reference(size, bits), "identity", 1);
        INDArray cover = Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
        INDArray message = Nd4j.rand(DataType.FLOAT, batch, bits).gt(0.5).castTo(DataType.FLOAT);
        HiddenSampleModel<INDArray> model = new HiddenSampleModel<>(() -> system,
                (images, b) -> new HiddenSampleModel.Images(images, message), (metrics, b) -> { });
        MinibatchLoop<INDArray> loop = new MinibatchLoop<>(model,
                PenaltyMethod.fixed(system.config().encoderWeight()), system.generatorOptimizer(), cover);
        int[] all = java.util.stream.IntStream.range(0, batch).toArray();
        loop.runEpoch(0, all, batch, null);
        double startup = ProcessStats.secondsSinceStart();
        for (int i = 1; i < warmup; i++) {
            loop.runEpoch(i, all, batch, null);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            loop.runEpoch(warmup + i, all, batch, null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"java\",\"size\":%d,\"batch\":%d,\"threads\":%d,\"images_per_second\":%.3f,"
                        + "\"seconds_per_step\":%.3f,\"startup_seconds\":%.3f,\"peak_rss_mb\":%.1f}",
                size, batch, threads, steps * batch / seconds, seconds / steps, startup, ProcessStats.peakRssMb()));
    }
}
