package dev.constrained4j.models.weights.fast;

import dev.constrained4j.models.weights.GraphClassifier;
import dev.constrained4j.models.weights.ImageClassifier;
import dev.constrained4j.models.weights.WeightsCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seconds per training batch of the published CNN, {@link FusedWeightsCnn} against {@link GraphClassifier}, in float
 * with one ND4J thread, alternated in one JVM (a benchmark, not a test: surefire does not run it). Also prints how
 * far the two engines' float gradients are apart. Run with the test class path and
 * {@code --add-modules jdk.incubator.vector}; arguments: rounds (default 3), graph batches per round (default 5),
 * fused batches per round (default 60), batch size (default 128).
 */
public final class FusedWeightsCnnBenchmark {

    private FusedWeightsCnnBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int graphBatches = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int fusedBatches = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getEnvironment().setMaxThreads(1);
        WeightsCnn cnn = WeightsCnn.grey28(10);
        GraphClassifier graph = cnn.classifier(1);
        FusedWeightsCnn fused = new FusedWeightsCnn(cnn, graph);
        INDArray x = FusedWeightsCnnTest.images(2, DataType.FLOAT, batch, cnn);
        int[] y = FusedWeightsCnnTest.labels(3, batch, cnn.classes());

        GraphClassifier.LossAndGradient g = graph.lossAndGradient(x, y);
        GraphClassifier.LossAndGradient f = fused.lossAndGradient(x, y);
        System.out.printf("float, batch %d: loss %.8f (graph) %.8f (fused), relative difference %.2e%n", batch,
                g.loss(), f.loss(), Math.abs(g.loss() - f.loss()) / g.loss());
        for (String key : graph.parameters().keySet()) {
            INDArray e = g.gradients().get(key).castTo(DataType.DOUBLE);
            INDArray a = f.gradients().get(key).castTo(DataType.DOUBLE);
            System.out.printf("  %-9s max |graph − fused| / max |graph| = %.2e (max |graph| %.3e)%n", key,
                    e.sub(a).amaxNumber().doubleValue() / e.amaxNumber().doubleValue(), e.amaxNumber().doubleValue());
        }
        System.out.println("load before: " + Files.readString(Path.of("/proc/loadavg")).trim());
        for (int round = 0; round < rounds; round++) {
            double graphSeconds = secondsPerBatch(graph, x, y, graphBatches);
            double fusedSeconds = secondsPerBatch(fused, x, y, fusedBatches);
            System.out.printf("round %d: graph %.4f s/batch (%.0f s/epoch), fused %.4f s/batch (%.1f s/epoch),"
                            + " speed-up %.1f×; load %s%n", round, graphSeconds, graphSeconds * 60_000 / batch,
                    fusedSeconds, fusedSeconds * 60_000 / batch, graphSeconds / fusedSeconds,
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
        INDArray test = FusedWeightsCnnTest.images(4, DataType.FLOAT, 2_000, cnn);
        int[] labels = FusedWeightsCnnTest.labels(5, 2_000, cnn.classes());
        fused.evaluate(test, labels, 500);
        long t0 = System.nanoTime();
        fused.evaluate(test, labels, 500);
        double fusedEval = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        graph.evaluate(test, labels, 500);
        double graphEval = (System.nanoTime() - t0) / 1e9;
        System.out.printf("evaluate 2,000 images: graph %.2f s, fused %.2f s (10,000: %.1f and %.1f s)%n", graphEval,
                fusedEval, graphEval * 5, fusedEval * 5);
    }

    /** One warm-up batch, then the mean wall time of {@code batches} training batches (forward and backward). */
    private static double secondsPerBatch(ImageClassifier net, INDArray x, int[] y, int batches) {
        net.lossAndGradient(x, y);
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            net.lossAndGradient(x, y);
        }
        return (System.nanoTime() - start) / 1e9 / batches;
    }
}
