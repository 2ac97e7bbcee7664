package dev.constrained4j.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GraphClassifier#lossAndGradient} is the gradient of the mean cross-entropy that it returns: central
 * differences of {@link GraphClassifier#loss} (training mode, the same batch statistics) on tiny forms of the three
 * networks, in double precision. In a class of its own because it switches ND4J's global data type.
 */
class GraphClassifierGradientCheckTest {

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

    static INDArray images(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        long[] longShape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            longShape[i] = shape[i];
        }
        return Nd4j.create(v, longShape, 'c');
    }

    /**
     * Compares each checked entry of every parameter with {@code (F(θ+h) − F(θ−h))/2h}, h = 1e-6, and asserts that
     * the check is not vacuous (every parameter array has a checked entry with a gradient above 1e-6, except conv biases before batch norm).
     *
     * @param perArray how many entries of each parameter array to check (all of them if the array is smaller)
     */
    static void check(GraphClassifier net, INDArray x, int[] y, int perArray) {
        var result = net.lossAndGradient(x, y);
        Map<String, INDArray> analytic = new java.util.LinkedHashMap<>();
        result.gradients().forEach((k, v) -> analytic.put(k, v.dup()));
        assertEquals(net.loss(x, y, true), result.loss(), 1e-12, "returned loss is the training-mode mean");
        SplittableRandom pick = new SplittableRandom(7);
        double h = 1e-6;
        int checked = 0;
        for (Map.Entry<String, INDArray> e : net.parameters().entrySet()) {
            INDArray p = e.getValue();
            INDArray g = analytic.get(e.getKey());
            double largest = 0;
            long n = p.length();
            for (int t = 0; t < Math.min(perArray, n); t++) {
                // sub-indices: DL4J's dense weights are 'f'-ordered views, and with a linear index entry i of the
                // view and entry i of its gradient's dup() were different weights
                long[] i = Shape.ind2subC(p.shape(), n <= perArray ? t : pick.nextLong(n));
                double original = p.getDouble(i);
                p.putScalar(i, original + h);
                double up = net.loss(x, y, true);
                p.putScalar(i, original - h);
                double down = net.loss(x, y, true);
                p.putScalar(i, original);
                double numeric = (up - down) / (2 * h);
                double exact = g.getDouble(i);
                double scale = Math.max(Math.abs(numeric) + Math.abs(exact), 1e-6);
                assertTrue(Math.abs(numeric - exact) < 1e-9 + 1e-5 * scale,
                        e.getKey() + "[" + i + "]: analytic " + exact + ", numeric " + numeric);
                largest = Math.max(largest, Math.abs(exact));
                checked++;
            }
            if (!biasBeforeBatchNorm(net, e.getKey())) {
                assertTrue(largest > 1e-6, e.getKey() + ": every checked gradient is ~0 (" + largest + "), vacuous");
            }
        }
        assertTrue(checked > 0);
    }

    /** A conv bias followed by batch norm in training mode has gradient exactly 0 (the batch mean removes it). */
    static boolean biasBeforeBatchNorm(GraphClassifier net, String key) {
        if (!key.endsWith("_b")) {
            return false;
        }
        String layer = key.substring(0, key.length() - 2);
        return net.graph().getConfiguration().getVertexInputs().entrySet().stream()
                .anyMatch(v -> v.getValue().contains(layer) && v.getKey().startsWith("bn"));
    }

    @Test
    void cnnGradientIsThatOfTheMeanLossAndDl4jsIsTheSum() {
        WeightsCnn shape = new WeightsCnn(1, 6, 6, 3, 3, 3);
        GraphClassifier net = shape.classifier(11);
        INDArray x = images(1, 5, 1, 6, 6);
        int[] y = {0, 1, 2, 1, 0};
        check(net, x, y, Integer.MAX_VALUE);

        // DL4J's own gradient before the updater: the sum over the batch, b = 5 times ours
        Map<String, INDArray> ours = new java.util.LinkedHashMap<>();
        net.lossAndGradient(x, y).gradients().forEach((k, v) -> ours.put(k, v.dup()));
        net.graph().setInputs(x);
        net.graph().setLabels(net.oneHot(y, DataType.DOUBLE));
        net.graph().computeGradientAndScore();
        Map<String, INDArray> raw = net.graph().gradient().gradientForVariable();
        for (String k : ours.keySet()) {
            assertTrue(raw.get(k).equalsWithEps(ours.get(k).mul(5), 1e-12), k + ": DL4J's gradient is 5× the mean's");
        }
    }

    @Test
    void resNetBlocksWithDownsamplingGradient() {
        // 16 px: the last stage works on 2×2 maps, so every tap of its 3×3 kernels has a gradient
        GraphClassifier net = new ResNet13(3, 16, 3, 2, new int[]{1, 1, 1, 1}).classifier(12);
        check(net, images(2, 3, 3, 16, 16), new int[]{2, 0, 1}, 4);
    }

    @Test
    void vggWithBatchNormGradient() {
        GraphClassifier net = new Vgg11(3, 32, true, 0).classifier(13);
        check(net, images(3, 3, 3, 32, 32), new int[]{1, 2, 0}, 4);
    }

    @Test
    void trainingStepMovesRunningMeanByPyTorchsMomentum() {
        GraphClassifier net = new WeightsCnn(1, 6, 6, 3, 3, 3).classifier(14);
        INDArray x = images(4, 6, 1, 6, 6);
        INDArray conv = net.graph().feedForward(new INDArray[]{x}, true).get(WeightsCnn.CONV);
        INDArray batchMean = conv.mean(0, 2, 3);
        INDArray batchVar = conv.var(false, 0, 2, 3);
        net.lossAndGradient(x, new int[]{0, 1, 2, 0, 1, 2});
        INDArray mean = net.runningStatistics().get("bn1_mean");
        INDArray var = net.runningStatistics().get("bn1_var");
        assertTrue(mean.reshape(3).equalsWithEps(batchMean.mul(0.1), 1e-12), mean + " vs 0.1·" + batchMean);
        // DL4J's running variance takes the biased batch variance (PyTorch's takes the unbiased one)
        assertTrue(var.reshape(3).equalsWithEps(batchVar.mul(0.1).add(0.9), 1e-12), var + " vs 0.9 + 0.1·" + batchVar);
    }
}
