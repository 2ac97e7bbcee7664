package dev.constrained4j.models.hidden.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** The shortcuts of {@link ConvOps} against one plain {@code conv2d_bp} call on the whole batch. */
class ConvOpsTest {

    private static final int[] NHWC_OIYX_3X3 = {3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 1};

    /** {@code [gx, gw, gb]} from one {@code conv2d_bp} call. */
    private static INDArray[] reference(INDArray x, INDArray w, INDArray b, INDArray gy) {
        INDArray gx = x.ulike();
        INDArray gw = w.ulike();
        INDArray gb = b.ulike();
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, gy).addOutputs(gx, gw, gb)
                .addIntegerArguments(NHWC_OIYX_3X3).build());
        return new INDArray[]{gx, gw, gb};
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-5 * scale, what + ": max difference " + difference + " (scale " + scale + ")");
    }

    private static INDArray[] data(int n, int size, int in, int out) {
        Nd4j.getRandom().setSeed(11);
        return new INDArray[]{Nd4j.randn(DataType.FLOAT, n, size, size, in), Nd4j.randn(DataType.FLOAT, out, in, 3, 3),
                Nd4j.randn(DataType.FLOAT, out), Nd4j.randn(DataType.FLOAT, n, size, size, out)};
    }

    @Test
    void largeImagesTakenOneAtATimeGiveTheBatchGradients() {
        int size = (int) Math.sqrt(ConvOps.PER_IMAGE_PIXELS);
        INDArray[] d = data(3, size, 4, 5);
        INDArray[] expected = reference(d[0], d[1], d[2], d[3]);
        INDArray gx = d[0].ulike();
        INDArray gw = d[1].ulike();
        INDArray gb = d[2].ulike();
        ConvOps.backward(d[0], d[1], d[2], d[3], gx, gw, gb, 3, 1);
        assertClose(expected[0], gx, "input gradient");
        assertClose(expected[1], gw, "weight gradient");
        assertClose(expected[2], gb, "bias gradient");
    }

    @Test
    void imageColumnsGiveTheWeightAndBiasGradientsOfFewInputChannels() {
        INDArray[] d = data(2, 9, 3, 6);
        INDArray[] expected = reference(d[0], d[1], d[2], d[3]);
        INDArray gw = d[1].ulike();
        INDArray gb = d[2].ulike();
        ConvOps.smallInputGradients(d[0], d[3], new Workspace(), gw, gb);
        assertClose(expected[1], gw, "weight gradient");
        assertClose(expected[2], gb, "bias gradient");
    }

    @Test
    void flippedConvolutionGivesTheInputGradient() {
        INDArray[] d = data(2, 7, 5, 4);
        INDArray[] expected = reference(d[0], d[1], d[2], d[3]);
        INDArray flipped = Nd4j.create(DataType.FLOAT, 5, 4, 3, 3);
        ConvOps.flip(d[1], flipped);
        INDArray gx = d[0].ulike();
        ConvOps.inputGradient(d[3], flipped, gx, 3, 1);
        assertClose(expected[0], gx, "input gradient");
    }
}
