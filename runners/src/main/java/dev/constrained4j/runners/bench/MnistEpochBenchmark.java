package dev.constrained4j.runners.bench;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.runners.cli.Threads;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistEngine;
import dev.constrained4j.runners.mnist.MnistMode;
import dev.constrained4j.runners.mnist.MnistTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times what {@code bench/mnist_reference.py} times: refinement epochs of the {@code penalty} mode (τ = 100·1.01^e,
 * hinge, bound 0.01, Adam lr 1e-3 with coupled L2 1e-3, batch 128, from PyTorch-style initial weights), each
 * followed by the full evaluation of both splits, through {@link MnistTask} as the runner uses it. Prints one JSON
 * line: seconds from JVM start to the end of the first training iteration, epoch and evaluation seconds, peak
 * RSS, and the RSS after every epoch (to show it stays flat).
 *
 * <p>Usage: {@code MnistEpochBenchmark [--engine fused|samediff] [--threads N] [--epochs N] [--train-limit N]
 * [--eval-batch-size N] [--data-dir DIR]}
 */
public final class MnistEpochBenchmark {

    private MnistEpochBenchmark() {
    }

    public static void main(String[] args) {
        MnistEngine engine = MnistEngine.FUSED;
        int threads = 1;
        int epochs = 1;
        int trainLimit = 0;
        int evalBatch = MnistConfig.defaults().evalBatchSize();
        Path dataDir = Path.of("data/mnist");
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--engine" -> engine = MnistEngine.parse(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--train-limit" -> trainLimit = Integer.parseInt(value);
                case "--eval-batch-size" -> evalBatch = Integer.parseInt(value);
                case "--data-dir" -> dataDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MnistData.prefetch(dataDir); // read while ND4J loads, as the mnist command does
        Threads.apply(threads);
        MnistConfig config = new MnistConfig(List.of(MnistMode.PENALTY), dataDir, Path.of("runs"), Path.of("warm"),
                0, epochs, 128, evalBatch, 123L, trainLimit, 0, 1e-3, 1e-3, 1e-2, 1.0, 100.0, 1.01, 1e4,
                PenaltyFunction.HINGE, threads, "benchmark", engine);
        MnistData train = MnistData.load(dataDir, true, trainLimit, DataType.FLOAT);
        MnistData test = MnistData.load(dataDir, false, 0, DataType.FLOAT);
        MnistModelConfig model = MnistModelConfig.reference();
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        Map<String, INDArray> initial = MnistClassifierDecoder.initialParameters(model, layers,
                EpochOrder.mix(123L, 11, 0), DataType.FLOAT);
        MnistTask task = new MnistTask(MnistMode.PENALTY, config, train, test, model, initial, Map.of(), null,
                config.method(MnistMode.PENALTY, null));
        double[] startup = {Double.NaN};
        task.setIterationListener((IterationListener) (mode, epoch, objective, batchSize, parameters) -> {
            if (Double.isNaN(startup[0])) {
                startup[0] = ProcessStats.secondsSinceStart();
            }
        });
        StringBuilder perEpoch = new StringBuilder();
        double firstTrain = 0;
        double firstEval = 0;
        Map<String, Double> metrics = Map.of();
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            task.trainEpoch(e);
            long t1 = System.nanoTime();
            metrics = task.evaluate();
            long t2 = System.nanoTime();
            double objective = metrics.get(MnistTask.OBJECTIVE);
            if (e == 0) {
                firstTrain = (t1 - t0) / 1e9;
                firstEval = (t2 - t1) / 1e9;
            }
            perEpoch.append(e == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"epoch\":%d,\"train_seconds\":%.3f,\"eval_seconds\":%.3f,\"objective\":%.6f,"
                            + "\"train_acc\":%.5f,\"train_satisfied\":%.5f,\"test_acc\":%.5f,\"rss_mb\":%.1f,"
                            + "\"heap_committed_mb\":%.1f,\"heap_used_mb\":%.1f}",
                    e, (t1 - t0) / 1e9, (t2 - t1) / 1e9, objective, metrics.get("train_acc"),
                    metrics.get("train_satisfied"), metrics.get("test_acc"), ProcessStats.rssMb(),
                    Runtime.getRuntime().totalMemory() / 1048576.0,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0));
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"java-%s\",\"threads\":%d,\"startup_seconds\":%.3f,\"epoch_seconds\":%.3f,"
                        + "\"eval_seconds\":%.3f,\"peak_rss_mb\":%.1f,\"nd4j_threads\":%d,\"epochs\":[%s]}",
                engine.key(), threads, startup[0], firstTrain, firstEval, ProcessStats.peakRssMb(),
                Nd4j.getEnvironment().maxThreads(), perEpoch));
    }
}
