package dev.constrained4j.models.hidden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HiddenNetworksTest {

    private static final HiddenConfig CONFIG = HiddenConfig.reference(16, 8).withChannels(6);

    @Test
    void messageIsBroadcastAndConcatenatedBeforeFeaturesAndImage() {
        SameDiff sd = SameDiff.create();
        SDVariable m = sd.placeHolder("m", DataType.FLOAT, -1, 5);
        SDVariable img = sd.placeHolder("img", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable f = sd.placeHolder("f", DataType.FLOAT, -1, 4, -1, -1);
        sd.concat(1, MessageConcatVertex.expand(sd, m, img), f, img).rename("out");
        INDArray message = Nd4j.createFromArray(new float[][]{{1, 0, 1, 1, 0}, {0, 1, 0, 0, 1}});
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 6, 7);
        INDArray features = Nd4j.rand(DataType.FLOAT, 2, 4, 6, 7);
        INDArray out = sd.output(Map.of("m", message, "img", image, "f", features), "out").get("out");
        assertArrayEquals(new long[]{2, 5 + 4 + 3, 6, 7}, out.shape());
        for (int b = 0; b < 2; b++) {
            for (int bit = 0; bit < 5; bit++) {
                INDArray plane = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(bit));
                assertEquals(message.getDouble(b, bit), plane.minNumber().doubleValue(), 0.0);
                assertEquals(message.getDouble(b, bit), plane.maxNumber().doubleValue(), 0.0);
            }
        }
        assertEquals(features.getDouble(1, 2, 3, 4), out.getDouble(1, 5 + 2, 3, 4), 0.0);
        assertEquals(image.getDouble(1, 1, 5, 6), out.getDouble(1, 9 + 1, 5, 6), 0.0);
    }

    @Test
    void initialisationFollowsPyTorchDefaults() {
        Map<String, INDArray> p = HiddenNetworks.initialParameters(HiddenConfig.reference(16, 8), 3, DataType.DOUBLE);
        INDArray w = p.get("enc1_W");
        assertArrayEquals(new long[]{64, 64, 3, 3}, w.shape());
        double bound = 1 / Math.sqrt(64 * 9);
        assertTrue(w.amaxNumber().doubleValue() <= bound);
        assertTrue(w.amaxNumber().doubleValue() > 0.95 * bound);
        assertEquals(bound * bound / 3, w.varNumber().doubleValue(), 0.05 * bound * bound / 3);
        assertEquals(1.0, p.get("enc1_gamma").minNumber().doubleValue());
        assertEquals(0.0, p.get("enc1_beta").amaxNumber().doubleValue());
        assertArrayEquals(new long[]{8, 64, 3, 3}, p.get("dec7_W").shape());
        assertArrayEquals(new long[]{8, 8}, p.get("dec_linear_W").shape());
        assertArrayEquals(new long[]{64, 1}, p.get("dis_linear_W").shape());
        assertArrayEquals(new long[]{64, 64 + 3 + 8, 3, 3}, p.get("enc_cat_W").shape());
    }

    @Test
    void computationGraphsAndSameDiffTwinsGiveEqualOutputsInFloat() {
        compare(DataType.FLOAT, 2e-4);
    }

    @Test
    void computationGraphsAndSameDiffTwinsGiveEqualOutputsInDouble() {
        compare(DataType.DOUBLE, 1e-10);
    }

    private static void compare(DataType type, double tolerance) {
        Map<String, INDArray> params = HiddenNetworks.initialParameters(CONFIG, 11, type);
        Map<String, INDArray> running = HiddenNetworks.initialRunningStats(CONFIG, type);
        Nd4j.getRandom().setSeed(5);
        // non-trivial batch-norm state so that evaluation mode is really exercised
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (e.getKey().endsWith("_gamma") || e.getKey().endsWith("_beta")) {
                e.getValue().addi(Nd4j.rand(type, e.getValue().shape()).subi(0.5));
            }
        }
        running.replaceAll((k, v) -> k.endsWith("_var") ? Nd4j.rand(type, v.shape()).addi(0.5)
                : Nd4j.rand(type, v.shape()).subi(0.5).muli(0.2));
        HiddenNetworks.Graphs graphs = HiddenNetworks.graphs(CONFIG, params, running, type);

        INDArray image = Nd4j.rand(type, 3, 3, 16, 16);
        INDArray message = Nd4j.rand(type, 3, 8).gt(0.5).castTo(type);
        INDArray noisedSmaller = Nd4j.rand(type, 3, 3, 11, 13);

        SameDiff sd = SameDiff.create();
        SDVariable img = sd.placeHolder("img", type, -1, 3, 16, 16);
        SDVariable msg = sd.placeHolder("msg", type, -1, 8);
        SDVariable any = sd.placeHolder("any", type, -1, 3, -1, -1);
        HiddenSameDiff nets = new HiddenSameDiff(sd, CONFIG, params, type, HiddenSameDiff.Mode.EVAL);
        nets.encode(img, msg, "e").rename("enc");
        nets.decode(any, "d").rename("dec");
        nets.discriminate(img, "x").rename("dis");
        Map<String, INDArray> feed = new HashMap<>(running);
        feed.put("img", image);
        feed.put("msg", message);
        feed.put("any", noisedSmaller);
        Map<String, INDArray> out = sd.output(feed, "enc", "dec", "dis");

        ComputationGraph encoder = graphs.encoder();
        INDArray cgEnc = encoder.output(false, new INDArray[]{image, message}, null)[0];
        INDArray cgDec = graphs.decoder().outputSingle(noisedSmaller);
        INDArray cgDis = graphs.discriminator().outputSingle(image);
        assertArrayEquals(new long[]{3, 3, 16, 16}, cgEnc.shape());
        assertArrayEquals(new long[]{3, 8}, cgDec.shape());
        assertArrayEquals(new long[]{3, 1}, cgDis.shape());
        assertClose(cgEnc, out.get("enc"), tolerance);
        assertClose(cgDec, out.get("dec"), tolerance);
        assertClose(cgDis, out.get("dis"), tolerance);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(diff <= tolerance * scale, "max difference " + diff + " > " + tolerance * scale);
    }
}
