package dev.constrained4j.models.weights.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.models.weights.GraphClassifier;
import dev.constrained4j.models.weights.WeightsCnn;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link FusedWeightsCnn} against {@link GraphClassifier} on the same parameters and batches, in double precision
 * (in a class of its own because it switches ND4J's global data type): loss and every gradient, three plain SGD
 * steps (parameters and running statistics), and the inference-mode evaluation, all to 1e-9 relative.
 */
class FusedWeightsCnnTest {

    /** Relative tolerance in double: both engines compute the same sums in different orders. */
    static final double TOLERANCE = 1e-9;

    private static DataType previous;
    private static DataType previousFloat;

    @BeforeAll
    static void doublePrecision() {
        previous = Nd4j.dataType();
        previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previousFloat);
    }

    /** The published CNN, and a small one with 2 input channels, odd conv outputs (7×9: the pool drops a row and a
     *  column) and 6 hidden channels (not a multiple of the SIMD width). */
    static final List<WeightsCnn> NETWORKS = List.of(WeightsCnn.grey28(10), new WeightsCnn(2, 9, 11, 6, 3, 3));

    /** Uniform [0, 1) images, like scaled pixels. */
    static INDArray images(long seed, DataType type, int n, WeightsCnn cnn) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n * cnn.channels() * cnn.height() * cnn.width()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.create(v, new long[]{n, cnn.channels(), cnn.height(), cnn.width()}, 'c').castTo(type);
    }

    static int[] labels(long seed, int n, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    /**
     * {@code max|a − b| ≤ tolerance · max|b|}, entry by entry with sub-indices (the graph's dense weights are
     * 'f'-ordered views). For the conv bias, whose true gradient is 0 (batch norm removes it), {@code scale} is the
     * conv weights' gradient: the graph's value there is rounding noise.
     */
    static void assertClose(String what, INDArray expected, INDArray actual, double tolerance, double scale) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double largest = scale;
        double difference = 0;
        for (int i = 0; i < e.length; i++) {
            largest = Math.max(largest, Math.abs(e[i]));
            difference = Math.max(difference, Math.abs(e[i] - a[i]));
        }
        assertTrue(largest > 0, what + " is all zero: the comparison would be vacuous");
        assertTrue(difference <= tolerance * largest, what + ": max difference " + difference + " against max |value| "
                + largest);
    }

    static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    /** Compares every gradient of one step of both engines; returns the graph's loss. */
    static void assertSameStep(GraphClassifier graph, FusedWeightsCnn fused, INDArray x, int[] y, double tolerance) {
        GraphClassifier.LossAndGradient expected = graph.lossAndGradient(x, y);
        GraphClassifier.LossAndGradient actual = fused.lossAndGradient(x, y);
        assertEquals(expected.loss(), actual.loss(), tolerance * expected.loss(), "loss");
        assertEquals(graph.parameters().keySet(), actual.gradients().keySet());
        double convScale = maxAbs(expected.gradients().get("conv1_W"));
        for (String key : graph.parameters().keySet()) {
            boolean bias = key.equals("conv1_b");
            assertClose(key + " gradient", expected.gradients().get(key), actual.gradients().get(key), tolerance,
                    bias ? convScale : 0);
        }
        assertTrue(maxAbs(expected.gradients().get("conv1_b")) < 1e-12 * convScale,
                "the graph's conv bias gradient is rounding noise");
    }

    @Test
    void lossAndEveryGradientEqualTheGraphs() {
        for (WeightsCnn cnn : NETWORKS) {
            GraphClassifier graph = cnn.classifier(11);
            FusedWeightsCnn fused = new FusedWeightsCnn(cnn, graph);
            assertSameStep(graph, fused, images(1, DataType.DOUBLE, 16, cnn), labels(2, 16, cnn.classes()),
                    TOLERANCE);
            // a batch of 1: N = 26·26 pixels for the batch statistics
            assertSameStep(graph, fused, images(3, DataType.DOUBLE, 1, cnn), labels(4, 1, cnn.classes()), TOLERANCE);
        }
    }

    @Test
    void threeSgdStepsKeepParametersAndRunningStatisticsEqual() {
        for (WeightsCnn cnn : NETWORKS) {
            GraphClassifier graph = cnn.classifier(12);
            FusedWeightsCnn fused = FusedWeightsCnn.of(cnn, 12);
            for (String key : graph.parameters().keySet()) {
                assertEquals(graph.parameters().get(key), fused.parameters().get(key), key + " initial");
            }
            double rate = 0.5;
            for (int step = 0; step < 3; step++) {
                INDArray x = images(20 + step, DataType.DOUBLE, 12, cnn);
                int[] y = labels(30 + step, 12, cnn.classes());
                GraphClassifier.LossAndGradient g = graph.lossAndGradient(x, y);
                GraphClassifier.LossAndGradient f = fused.lossAndGradient(x, y);
                assertEquals(g.loss(), f.loss(), TOLERANCE * g.loss(), "loss at step " + step);
                g.gradients().forEach((k, v) -> graph.parameters().get(k).subi(v.mul(rate)));
                f.gradients().forEach((k, v) -> fused.parameters().get(k).subi(v.mul(rate)));
            }
            for (String key : graph.parameters().keySet()) {
                assertClose(key + " after 3 steps", graph.parameters().get(key), fused.parameters().get(key),
                        TOLERANCE, 0);
            }
            for (String key : List.of("bn1_mean", "bn1_var")) {
                assertClose(key + " after 3 steps", graph.runningStatistics().get(key),
                        fused.runningStatistics().get(key), TOLERANCE, 0);
            }
            INDArray var = graph.runningStatistics().get("bn1_var");
            assertTrue(var.sub(1).amaxNumber().doubleValue() > 1e-3, "the running variance moved");
        }
    }

    @Test
    void evaluationEqualsTheGraphsAndChangesNothing() {
        for (WeightsCnn cnn : NETWORKS) {
            GraphClassifier graph = cnn.classifier(13);
            FusedWeightsCnn fused = new FusedWeightsCnn(cnn, graph);
            for (int step = 0; step < 2; step++) {
                INDArray x = images(40 + step, DataType.DOUBLE, 10, cnn);
                int[] y = labels(50 + step, 10, cnn.classes());
                graph.lossAndGradient(x, y).gradients().forEach((k, v) -> graph.parameters().get(k).subi(v.mul(2)));
            }
            fused = new FusedWeightsCnn(cnn, graph);
            INDArray x = images(60, DataType.DOUBLE, 30, cnn);
            int[] y = labels(61, 30, cnn.classes());
            Map<String, INDArray> before = Map.of("fc_W", fused.parameters().get("fc_W").dup(),
                    "bn1_mean", fused.runningStatistics().get("bn1_mean").dup());
            GraphClassifier.Evaluation expected = graph.evaluate(x, y, 7);
            GraphClassifier.Evaluation actual = fused.evaluate(x, y, 7);
            assertEquals(expected.count(), actual.count());
            assertEquals(expected.accuracy(), actual.accuracy(), 0.0);
            assertEquals(expected.meanLoss(), actual.meanLoss(), TOLERANCE * expected.meanLoss());
            assertEquals(actual, fused.evaluate(x, y, 64), "the batch size does not matter");
            assertEquals(before.get("fc_W"), fused.parameters().get("fc_W"));
            assertEquals(before.get("bn1_mean"), fused.runningStatistics().get("bn1_mean"));
        }
    }

    @Test
    void parametersAreLiveAndNamedAsTheGraphs() {
        WeightsCnn cnn = NETWORKS.get(1);
        GraphClassifier graph = cnn.classifier(14);
        FusedWeightsCnn fused = new FusedWeightsCnn(cnn, graph);
        assertEquals(List.copyOf(graph.parameters().keySet()), List.copyOf(fused.parameters().keySet()));
        graph.parameters().forEach((k, v) -> assertArrayEquals(v.shape(), fused.parameters().get(k).shape(), k));
        INDArray x = images(5, DataType.DOUBLE, 6, cnn);
        int[] y = labels(6, 6, cnn.classes());
        double before = fused.evaluate(x, y, 6).meanLoss();
        fused.parameters().get("fc_W").addi(0.3);
        fused.parameters().get("conv1_W").muli(2);
        double after = fused.evaluate(x, y, 6).meanLoss();
        assertNotEquals(before, after, "an in-place update changes the network");
        fused.writeTo(graph);
        assertEquals(graph.evaluate(x, y, 6).meanLoss(), after, TOLERANCE * after, "writeTo copies everything");
        assertThrows(UnsupportedOperationException.class, () -> fused.parameters().put("x", x));
    }

    @Test
    void badInputsAreRefusedWithTheShapeExpected() {
        WeightsCnn cnn = NETWORKS.get(1);
        FusedWeightsCnn fused = FusedWeightsCnn.of(cnn, 15);
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> fused.lossAndGradient(images(1, DataType.DOUBLE, 2, WeightsCnn.grey28(3)), new int[]{0, 1}));
        assertTrue(wrong.getMessage().contains("[b, 2, 9, 11]"), wrong.getMessage());
        var label = assertThrows(IllegalArgumentException.class,
                () -> fused.lossAndGradient(images(1, DataType.DOUBLE, 2, cnn), new int[]{0, 3}));
        assertTrue(label.getMessage().contains("0..2"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fused.evaluate(images(1, DataType.DOUBLE, 2, cnn),
                new int[]{0}, 4));
        var other = assertThrows(IllegalArgumentException.class,
                () -> new FusedWeightsCnn(cnn.withHiddenChannels(5), cnn.classifier(1)));
        assertTrue(other.getMessage().contains("hiddenChannels=5"), other.getMessage());
    }
}
