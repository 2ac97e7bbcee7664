package dev.constrained4j.losses.hidden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.constrained4j.losses.constraint.PsnrConstraint;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HiddenLossesTest {

    @Test
    void bceWithLogitsMatchesTheDefinition() {
        double[] logits = {-40.0, -2.5, 0.0, 0.3, 3.0, 40.0};
        INDArray x = Nd4j.createFromArray(logits).reshape(-1, 1);
        for (double target : new double[]{0.0, 1.0}) {
            SameDiff sd = SameDiff.create();
            SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, 1);
            HiddenLosses.bceWithLogits(sd, in, target).rename("bce");
            double got = sd.output(Map.of("x", x), "bce").get("bce").getDouble(0);
            double expected = 0;
            for (double z : logits) {
                double p = 1 / (1 + Math.exp(-z));
                // the naive form only where it is finite; the stable scalar form elsewhere
                double naive = -(target * Math.log(p) + (1 - target) * Math.log(1 - p));
                double v = Double.isFinite(naive) && Math.abs(z) < 30 ? naive : HiddenLosses.bceWithLogits(z, target);
                expected += v / logits.length;
            }
            assertEquals(expected, got, 1e-9, "target " + target);
        }
        assertEquals(Math.log(2), HiddenLosses.bceWithLogits(0.0, 1.0), 1e-15);
        assertEquals(40.0, HiddenLosses.bceWithLogits(40.0, 0.0), 1e-12);
    }

    @Test
    void constrainedLossWithZeroTauEqualsLossWithoutImageTerm() {
        INDArray cover = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        INDArray enc = cover.add(Nd4j.randn(DataType.FLOAT, 4, 3, 8, 8).muli(0.05));
        INDArray logits = Nd4j.randn(DataType.FLOAT, 4, 1);
        INDArray msg = Nd4j.rand(DataType.FLOAT, 4, 6).gt(0.5).castTo(DataType.FLOAT);
        INDArray dec = Nd4j.randn(DataType.FLOAT, 4, 6);
        SameDiff sd = SameDiff.create();
        SDVariable e = sd.placeHolder("enc", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable c = sd.placeHolder("cover", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable d = sd.placeHolder("d", DataType.FLOAT, -1, 1);
        SDVariable m = sd.placeHolder("m", DataType.FLOAT, -1, 6);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 6);
        SDVariable tau = sd.placeHolder("tau", DataType.FLOAT);
        SDVariable penalty = HiddenLosses.psnrPenalty(sd, new PsnrConstraint(60), e, c, tau);
        HiddenLosses.generatorLoss(sd, d, penalty, y, m, 1e-3, 1.0).rename("with");
        HiddenLosses.generatorLoss(sd, d, sd.constant(0f), y, m, 1e-3, 1.0).rename("without");
        penalty.rename("penalty");
        Map<String, INDArray> feed = Map.of("enc", enc, "cover", cover, "d", logits, "m", msg, "y", dec,
                "tau", Nd4j.scalar(0f));
        Map<String, INDArray> out = sd.output(feed, "with", "without", "penalty");
        assertEquals(out.get("without").getDouble(0), out.get("with").getDouble(0), 0.0);
        feed = new java.util.HashMap<>(feed);
        feed.put("tau", Nd4j.scalar(2f));
        double violation = 0;
        for (double p : PsnrConstraint.psnrValues(enc, cover)) {
            violation += Math.max(0, 60 - p) / 4;
        }
        assertEquals(2 * violation, sd.output(feed, "penalty").get("penalty").getDouble(0), 1e-3);
    }
}
