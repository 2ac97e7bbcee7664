package dev.constrained4j.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The builders' shapes and parameter counts, and what {@link GraphClassifier} promises an optimiser (float). */
class GraphClassifierTest {

    static INDArray images(long seed, int... shape) {
        return GraphClassifierGradientCheckTest.images(seed, shape).castTo(DataType.FLOAT);
    }

    static int[] labels(int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 7 + 3) % classes;
        }
        return y;
    }

    @Test
    void publishedCnnHas217866TrainableParameters() {
        WeightsCnn cnn = WeightsCnn.grey28(10);
        GraphClassifier net = cnn.classifier(1);
        // conv 128·9 + 128, γ and β 2·128, fc 128·13·13·10 + 10
        assertEquals(217_866, cnn.trainableParameters());
        assertEquals(217_866, net.trainableParameterCount());
        assertEquals(108_938, cnn.withHiddenChannels(64).trainableParameters());
        assertEquals(Set.of("bn1_mean", "bn1_var"), net.runningStatistics().keySet());
        Set<String> all = new HashSet<>(net.parameters().keySet());
        all.addAll(net.runningStatistics().keySet());
        assertEquals(net.graph().paramTable().keySet(), all, "trainable + statistics = paramTable()");
        assertArrayEquals(new long[]{128, 1, 3, 3}, net.parameters().get("conv1_W").shape());
        assertArrayEquals(new long[]{21_632, 10}, net.parameters().get("fc_W").shape());
        assertEquals(WeightsCnn.colour32(10).trainableParameters(), WeightsCnn.colour32(10).classifier(1)
                .trainableParameterCount());
    }

    @Test
    void vggAndResNetCountsAndOutputs() {
        Vgg11 vgg = Vgg11.of(10);
        GraphClassifier v = vgg.classifier(2);
        assertEquals(28_144_010, vgg.trainableParameters());
        assertEquals(28_144_010, v.trainableParameterCount());
        assertEquals(28_512_740, Vgg11.of(100).trainableParameters());
        assertEquals(Vgg11.of(10).withBatchNorm(true).trainableParameters(), 28_144_010 + 2 * (64 + 128 + 256 * 2
                + 512 * 4));
        INDArray x = images(3, 2, 3, 32, 32);
        INDArray p = v.graph().output(false, x)[0];
        assertArrayEquals(new long[]{2, 10}, p.shape());
        assertEquals(1.0, p.sum(1).getDouble(0), 1e-5);

        ResNet13 resnet = ResNet13.of(10);
        GraphClassifier r = resnet.classifier(3);
        assertEquals(11_173_962, resnet.trainableParameters());
        assertEquals(11_173_962, r.trainableParameterCount());
        assertEquals(11_220_132, ResNet13.of(100).trainableParameters());
        long stats = r.runningStatistics().values().stream().mapToLong(INDArray::length).sum();
        assertEquals(9_600, stats);
        assertArrayEquals(new long[]{2, 10}, r.graph().output(false, x)[0].shape());
    }

    @Test
    void sameSeedSameNetworkOtherSeedOther() {
        INDArray a = WeightsCnn.grey28(10).build(5).params();
        INDArray b = WeightsCnn.grey28(10).build(5).params();
        INDArray c = WeightsCnn.grey28(10).build(6).params();
        assertEquals(a, b);
        assertNotEquals(a, c);
        // PyTorch's default U(±1/√fan_in): conv fan-in 9, fc fan-in 21632
        Map<String, INDArray> p = WeightsCnn.grey28(10).classifier(5).parameters();
        assertTrue(p.get("conv1_W").amaxNumber().doubleValue() <= 1 / 3.0);
        assertTrue(p.get("conv1_W").amaxNumber().doubleValue() > 0.3);
        assertTrue(p.get("fc_W").amaxNumber().doubleValue() <= 1 / Math.sqrt(21_632));
    }

    @Test
    void parametersAreLiveViewsOfTheGraph() {
        GraphClassifier net = new WeightsCnn(1, 8, 8, 4, 3, 3).classifier(7);
        INDArray x = images(1, 4, 1, 8, 8);
        INDArray before = net.graph().output(false, x)[0].dup();
        net.parameters().get("conv1_W").addi(0.25);
        assertEquals(net.parameters().get("conv1_W"), net.graph().getParam("conv1_W"));
        assertNotEquals(before, net.graph().output(false, x)[0], "an in-place update changes the network");
        net.parameters().get("fc_W").assign(0);
        net.parameters().get("fc_b").assign(0);
        INDArray uniform = net.graph().output(false, x)[0];
        assertTrue(uniform.equalsWithEps(Nd4j.valueArrayOf(uniform.shape(), 1.0 / 3, DataType.FLOAT), 1e-6));
        assertThrows(UnsupportedOperationException.class, () -> net.parameters().put("x", x));
    }

    @Test
    void aStepAgainstTheMeanGradientLowersTheLoss() {
        GraphClassifier net = new WeightsCnn(1, 8, 8, 4, 3, 3).classifier(8);
        INDArray x = images(2, 16, 1, 8, 8);
        int[] y = labels(16, 3);
        var first = net.lossAndGradient(x, y);
        assertEquals(first.loss(), net.loss(x, y, true), 1e-6);
        INDArray oneHot = net.oneHot(y, DataType.FLOAT);
        for (Map.Entry<String, INDArray> e : first.gradients().entrySet()) {
            net.parameters().get(e.getKey()).subi(e.getValue().mul(0.1));
        }
        double after = net.loss(x, y, true);
        assertTrue(after < first.loss(), first.loss() + " → " + after);
        assertEquals(net.lossAndGradient(x, y).loss(), net.lossAndGradient(x, oneHot).loss(), 1e-7,
                "int[] labels and one-hot give the same loss");
    }

    @Test
    void evaluationIsInferenceModeAndChangesNothing() {
        GraphClassifier net = new WeightsCnn(1, 8, 8, 4, 3, 3).classifier(9);
        INDArray x = images(3, 50, 1, 8, 8);
        int[] y = labels(50, 3);
        for (int i = 0; i < 3; i++) {
            var g = net.lossAndGradient(x, y);
            g.gradients().forEach((k, v) -> net.parameters().get(k).subi(v.mul(0.5)));
        }
        INDArray params = net.graph().params().dup();
        GraphClassifier.Evaluation e = net.evaluate(x, y, 7);
        assertEquals(params, net.graph().params(), "no parameter or running statistic moved");
        assertEquals(e, net.evaluate(x, y, 7));
        GraphClassifier.Evaluation whole = net.evaluate(x, y, 64);
        assertEquals(e.accuracy(), whole.accuracy());
        assertEquals(e.meanLoss(), whole.meanLoss(), 1e-6, "the batch size does not matter");
        assertEquals(50, e.count());
        double dl4j = net.graph().score(new DataSet(x, net.oneHot(y, DataType.FLOAT)), false);
        assertEquals(dl4j, e.meanLoss(), 1e-5, "DL4J's inference-mode score");
        assertNotEquals(net.loss(x, y, true), e.meanLoss(), 1e-4, "running, not batch, statistics");
        INDArray p = net.graph().output(false, x)[0];
        int correct = 0;
        for (int i = 0; i < 50; i++) {
            correct += p.getRow(i).argMax().getInt(0) == y[i] ? 1 : 0;
        }
        assertEquals(correct / 50.0, e.accuracy(), 1e-12);
    }

    @Test
    void badInputsAreRefusedWithTheShapeExpected() {
        GraphClassifier net = new WeightsCnn(1, 8, 8, 4, 3, 3).classifier(10);
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> net.lossAndGradient(images(1, 2, 3, 8, 8), new int[]{0, 1}));
        assertTrue(wrong.getMessage().contains("[b, 1, 8, 8]"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.lossAndGradient(images(1, 2, 64), new int[]{0, 1}));
        var label = assertThrows(IllegalArgumentException.class,
                () -> net.lossAndGradient(images(1, 2, 1, 8, 8), new int[]{0, 3}));
        assertTrue(label.getMessage().contains("0..2"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.evaluate(images(1, 2, 1, 8, 8), new int[]{0}, 4));
        assertThrows(IllegalArgumentException.class, () -> new WeightsCnn(1, 3, 3, 4, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new Vgg11(10, 3, false, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ResNet13.of(10).withBlocksPerStage(2, 2, 2));
    }
}
