package dev.constrained4j.losses.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.constrained4j.losses.hidden.HiddenLosses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check, in double precision, of the gradient of {@code τ·mean_i max(0, T − PSNR_i)} and of
 * the BCE-with-logits term with respect to the encoded images. Own class: it switches the global data type.
 */
class PsnrPenaltyGradientCheckTest {

    private static DataType previous;

    @BeforeAll
    static void useDouble() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    @Test
    void psnrPenaltyGradientMatchesCentralDifferences() {
        Nd4j.getRandom().setSeed(7);
        INDArray cover = Nd4j.rand(DataType.DOUBLE, 3, 3, 4, 4);
        // image 0 violates T = 30 dB (noise 0.1), image 1 does not (noise 1e-3), image 2 violates mildly
        INDArray noise = Nd4j.randn(DataType.DOUBLE, 3, 3, 4, 4);
        noise.slice(0).muli(0.1);
        noise.slice(1).muli(1e-3);
        noise.slice(2).muli(0.04);
        INDArray encoded = cover.add(noise);
        double tau = 1.7;

        SameDiff sd = SameDiff.create();
        SDVariable enc = sd.var("enc", encoded.dup());
        SDVariable c = sd.placeHolder("cover", DataType.DOUBLE, -1, 3, -1, -1);
        SDVariable t = sd.placeHolder("tau", DataType.DOUBLE);
        SDVariable logits = enc.mean(true, 1, 2, 3).mul(3.0);
        SDVariable loss = HiddenLosses.psnrPenalty(sd, new PsnrConstraint(30), enc, c, t)
                .add(HiddenLosses.bceWithLogits(sd, logits, 1.0));
        loss.rename("loss");
        sd.setLossVariables("loss");
        Map<String, INDArray> feed = Map.of("cover", cover, "tau", Nd4j.scalar(tau));
        INDArray grad = sd.calculateGradients(feed, List.of("enc")).get("enc");

        double h = 1e-6;
        int checked = 0;
        for (int[] idx : new int[][]{{0, 0, 0, 0}, {0, 2, 3, 1}, {1, 1, 1, 1}, {2, 0, 2, 3}, {2, 1, 0, 0}}) {
            INDArray arr = sd.getVariable("enc").getArr();
            double orig = arr.getDouble(idx[0], idx[1], idx[2], idx[3]);
            arr.putScalar(new long[]{idx[0], idx[1], idx[2], idx[3]}, orig + h);
            double plus = sd.output(feed, "loss").get("loss").getDouble(0);
            arr.putScalar(new long[]{idx[0], idx[1], idx[2], idx[3]}, orig - h);
            double minus = sd.output(feed, "loss").get("loss").getDouble(0);
            arr.putScalar(new long[]{idx[0], idx[1], idx[2], idx[3]}, orig);
            double numeric = (plus - minus) / (2 * h);
            double analytic = grad.getDouble(idx[0], idx[1], idx[2], idx[3]);
            assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)), "entry " + java.util.Arrays.toString(idx));
            checked++;
        }
        assertEquals(5, checked);
        // the satisfied image gets no penalty gradient, only the (small) BCE one, identical across its pixels
        double g1 = grad.getDouble(1, 0, 0, 0);
        assertEquals(g1, grad.getDouble(1, 2, 3, 3), 1e-12);
    }
}
