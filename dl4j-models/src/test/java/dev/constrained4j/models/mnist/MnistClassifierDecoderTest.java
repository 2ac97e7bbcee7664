package dev.constrained4j.models.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ComputationGraph and its SameDiff twin compute the same function of the same parameters (docs/experiments.md,
 * "The MNIST experiment"), the parameters move between them unchanged, and the initialisation is PyTorch's
 * {@code nn.Linear} one.
 */
class MnistClassifierDecoderTest {

    static final MnistModelConfig CONFIG = MnistModelConfig.reference();
    static final int BATCH = 7;
    static final List<String> ALL_LAYERS = all();

    static Map<String, INDArray> params;
    static INDArray input;

    private static List<String> all() {
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        return List.copyOf(layers);
    }

    @BeforeAll
    static void parametersAndBatch() {
        params = MnistClassifierDecoder.initialParameters(CONFIG, ALL_LAYERS, 123, DataType.FLOAT);
        Nd4j.getRandom().setSeed(7);
        input = Nd4j.rand(DataType.FLOAT, BATCH, CONFIG.inputs());
    }

    @Test
    void graphAndSameDiffGiveTheSameOutputs() {
        ComputationGraph graph = MnistClassifierDecoder.graph(CONFIG, DataType.FLOAT);
        MnistClassifierDecoder.copy(params, graph);
        INDArray[] graphOut = graph.output(false, input);
        assertEquals(2, graphOut.length);

        SameDiff sd = MnistClassifierDecoder.sameDiff(CONFIG, params, true, DataType.FLOAT);
        Map<String, INDArray> sdOut = sd.output(Map.of(MnistClassifierDecoder.INPUT, input),
                MnistClassifierDecoder.LOGITS, MnistClassifierDecoder.RECONSTRUCTION);
        INDArray logits = sdOut.get(MnistClassifierDecoder.LOGITS);
        INDArray reconstruction = sdOut.get(MnistClassifierDecoder.RECONSTRUCTION);
        assertArrayEquals(new long[]{BATCH, CONFIG.classes()}, logits.shape());
        assertArrayEquals(new long[]{BATCH, CONFIG.inputs()}, reconstruction.shape());
        assertArrayEquals(new long[]{BATCH, CONFIG.classes()}, graphOut[0].shape());
        assertArrayEquals(new long[]{BATCH, CONFIG.inputs()}, graphOut[1].shape());

        double[][] probabilities = softmax(logits.toDoubleMatrix());
        double[][] classifier = graphOut[0].toDoubleMatrix();
        for (int i = 0; i < BATCH; i++) {
            assertArrayEquals(probabilities[i], classifier[i], 1e-6, "classifier row " + i);
        }
        double[][] decoded = graphOut[1].toDoubleMatrix();
        double[][] sdDecoded = reconstruction.toDoubleMatrix();
        for (int i = 0; i < BATCH; i++) {
            assertArrayEquals(sdDecoded[i], decoded[i], 1e-6, "reconstruction row " + i);
        }
        // not a trivial agreement: the outputs differ between samples
        assertNotEquals(graphOut[0].getRow(0), graphOut[0].getRow(1));
    }

    private static double[][] softmax(double[][] z) {
        double[][] p = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            p[i] = new double[z[i].length];
            for (int k = 0; k < z[i].length; k++) {
                p[i][k] = Math.exp(z[i][k] - max);
                sum += p[i][k];
            }
            for (int k = 0; k < z[i].length; k++) {
                p[i][k] /= sum;
            }
        }
        return p;
    }

    @Test
    void withoutDecoderTheSameDiffFormHasNoReconstruction() {
        SameDiff sd = MnistClassifierDecoder.sameDiff(CONFIG, params, false, DataType.FLOAT);
        assertTrue(sd.hasVariable(MnistClassifierDecoder.LOGITS));
        assertTrue(!sd.hasVariable(MnistClassifierDecoder.RECONSTRUCTION) && !sd.hasVariable("dec1_W"));
    }

    @Test
    void parametersRoundTripGraphToSameDiffAndBack() {
        ComputationGraph graph = MnistClassifierDecoder.graph(CONFIG, DataType.FLOAT);
        MnistClassifierDecoder.copy(params, graph);
        Map<String, INDArray> fromGraph = MnistClassifierDecoder.parameters(graph, ALL_LAYERS);
        assertEquals(params, fromGraph);

        // a SameDiff form built from other parameters, overwritten by the graph's
        Map<String, INDArray> other = MnistClassifierDecoder.initialParameters(CONFIG, ALL_LAYERS, 999,
                DataType.FLOAT);
        SameDiff sd = MnistClassifierDecoder.sameDiff(CONFIG, other, true, DataType.FLOAT);
        assertNotEquals(fromGraph, MnistClassifierDecoder.parameters(sd, ALL_LAYERS));
        MnistClassifierDecoder.copy(fromGraph, sd);
        Map<String, INDArray> fromSameDiff = MnistClassifierDecoder.parameters(sd, ALL_LAYERS);
        assertEquals(fromGraph, fromSameDiff);

        // and back into a fresh graph
        ComputationGraph fresh = MnistClassifierDecoder.graph(CONFIG, DataType.FLOAT);
        MnistClassifierDecoder.copy(fromSameDiff, fresh);
        assertEquals(params, MnistClassifierDecoder.parameters(fresh, ALL_LAYERS));
    }

    @Test
    void parametersAreCopiesNotViews() {
        SameDiff sd = MnistClassifierDecoder.sameDiff(CONFIG, params, true, DataType.FLOAT);
        Map<String, INDArray> copy = MnistClassifierDecoder.parameters(sd, ALL_LAYERS);
        copy.get("enc1_W").assign(0);
        assertEquals(params.get("enc1_W"), sd.getVariable("enc1_W").getArr(), "the graph kept its values");
        assertNotEquals(0.0, params.get("enc1_W").sumNumber().doubleValue(), "the input map was not modified");
    }

    @Test
    void initialParametersHaveTheLayerShapes() {
        assertEquals(List.of("enc1_W", "enc1_b", "enc2_W", "enc2_b", "cls_W", "cls_b", "dec1_W", "dec1_b",
                "dec2_W", "dec2_b"), List.copyOf(params.keySet()));
        assertArrayEquals(new long[]{784, 256}, params.get("enc1_W").shape());
        assertArrayEquals(new long[]{1, 256}, params.get("enc1_b").shape());
        assertArrayEquals(new long[]{256, 20}, params.get("enc2_W").shape());
        assertArrayEquals(new long[]{20, 10}, params.get("cls_W").shape());
        assertArrayEquals(new long[]{1, 10}, params.get("cls_b").shape());
        assertArrayEquals(new long[]{20, 256}, params.get("dec1_W").shape());
        assertArrayEquals(new long[]{256, 784}, params.get("dec2_W").shape());
        assertArrayEquals(new long[]{1, 784}, params.get("dec2_b").shape());
        params.values().forEach(p -> assertEquals(DataType.FLOAT, p.dataType()));
    }

    @Test
    void initialParametersAreSeeded() {
        assertEquals(params, MnistClassifierDecoder.initialParameters(CONFIG, ALL_LAYERS, 123, DataType.FLOAT));
        Map<String, INDArray> other = MnistClassifierDecoder.initialParameters(CONFIG, ALL_LAYERS, 124,
                DataType.FLOAT);
        for (String name : params.keySet()) {
            assertNotEquals(params.get(name), other.get(name), name);
        }
    }

    /** One parameter array and the fan-in that sets its limit {@code 1/√fan_in}. */
    record Parameter(String name, int fanIn) {
    }

    static Stream<Parameter> parameters() {
        return Stream.of(new Parameter("enc1_W", 784), new Parameter("enc1_b", 784),
                new Parameter("enc2_W", 256), new Parameter("enc2_b", 256),
                new Parameter("cls_W", 20), new Parameter("cls_b", 20),
                new Parameter("dec1_W", 20), new Parameter("dec1_b", 20),
                new Parameter("dec2_W", 256), new Parameter("dec2_b", 256));
    }

    @ParameterizedTest
    @MethodSource("parameters")
    void initialParametersAreUniformWithinOneOverRootFanIn(Parameter p) {
        double limit = 1.0 / Math.sqrt(p.fanIn());
        double[] values = params.get(p.name()).dup().reshape(-1).toDoubleVector();
        int n = values.length;
        double sum = 0;
        double sumOfSquares = 0;
        double max = 0;
        for (double v : values) {
            assertTrue(Math.abs(v) <= limit, p.name() + ": " + v + " outside ±" + limit);
            sum += v;
            sumOfSquares += v * v;
            max = Math.max(max, Math.abs(v));
        }
        double mean = sum / n;
        double variance = sumOfSquares / n - mean * mean;
        // U(-L, L): mean 0 with standard error L/√(3n); variance L²/3 with standard error √(4/45)·L²/√n.
        // Six standard errors: a correct initialiser fails with probability ~1e-9, while a wrong distribution
        // (zeros, normal with the same limit, Xavier) is caught for all but the smallest arrays.
        assertEquals(0.0, mean, 6 * limit / Math.sqrt(3.0 * n), p.name() + " mean");
        assertEquals(limit * limit / 3, variance, 6 * Math.sqrt(4.0 / 45) * limit * limit / Math.sqrt(n),
                p.name() + " variance");
        // the largest value is near the limit (for n ≥ 10 the chance that all |v| < 0.5·L is 2^-n)
        assertTrue(max > 0.5 * limit, p.name() + " max " + max);
    }

    @Test
    void unknownLayerOrParameterIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MnistClassifierDecoder.initialParameters(CONFIG, List.of("enc1", "enc3"), 1, DataType.FLOAT));
        assertTrue(e.getMessage().contains("enc3"), e.getMessage());
        SameDiff sd = MnistClassifierDecoder.sameDiff(CONFIG, params, false, DataType.FLOAT);
        e = assertThrows(IllegalArgumentException.class, () -> MnistClassifierDecoder.parameters(sd, List.of("dec1")));
        assertTrue(e.getMessage().contains("dec1_W"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MnistClassifierDecoder.copy(Map.of("nope_W", Nd4j.zeros(DataType.FLOAT, 1, 1)), sd));
        assertTrue(e.getMessage().contains("nope_W"), e.getMessage());
        Map<String, INDArray> encoderOnly = MnistClassifierDecoder.initialParameters(CONFIG,
                MnistClassifierDecoder.ENCODER_LAYERS, 1, DataType.FLOAT);
        e = assertThrows(IllegalArgumentException.class,
                () -> MnistClassifierDecoder.sameDiff(CONFIG, encoderOnly, true, DataType.FLOAT));
        assertTrue(e.getMessage().contains("dec1_W"), e.getMessage());
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MnistModelConfig(784, 0, 20, 10));
        assertTrue(e.getMessage().contains("hidden") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MnistModelConfig(784, 256, 20, 1));
        assertTrue(e.getMessage().contains("classes") && e.getMessage().contains("1"), e.getMessage());
        assertEquals(new MnistModelConfig(784, 256, 20, 10), MnistModelConfig.reference());
    }
}
