package dev.constrained4j.models.hidden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Holds the fused engine to the SameDiff graphs (the definition, gradient-checked in double elsewhere): the same
 * system trained by each engine from the same state gives the same gradients, metrics, running statistics and
 * validation values, to float rounding. Both run in float, so the tolerances are relative norms of ~1e-4.
 */
class FusedHiddenTest {

    /** 16 px, 6 bits, 8 channels, 2 encoder / 2 decoder / 2 discriminator blocks. */
    private static final HiddenConfig CONFIG = new HiddenConfig(16, 6, 8, 2, 2, 2, 0.7, 1.0, 1e-3, 1e-3);

    private static INDArray[] batch(int i, int n) {
        Nd4j.getRandom().setSeed(300 + i);
        INDArray cover = Nd4j.rand(DataType.FLOAT, n, 3, 16, 16);
        INDArray message = Nd4j.rand(DataType.FLOAT, n, 6).gt(0.5).castTo(DataType.FLOAT);
        return new INDArray[]{cover, message};
    }

    private static HiddenSystem system(boolean constrained, double threshold, String noise, long seed) {
        return constrained ? HiddenSystem.constrained(CONFIG, threshold, noise, seed)
                : HiddenSystem.baseline(CONFIG, noise, seed);
    }

    /** Gradient maps seen by the optimizers, copied, in call order. */
    private static List<Map<String, INDArray>> recordGradients(HiddenSystem system) {
        List<Map<String, INDArray>> seen = new ArrayList<>();
        system.observeGradients(g -> {
            Map<String, INDArray> copy = new LinkedHashMap<>();
            g.forEach((k, v) -> copy.put(k, v.castTo(DataType.DOUBLE).reshape(-1).dup()));
            seen.add(copy);
        });
        return seen;
    }

    private static double relativeDifference(INDArray a, INDArray b) {
        double scale = Math.max(b.norm2Number().doubleValue(), 1e-12);
        return a.castTo(DataType.DOUBLE).reshape(-1).sub(b.castTo(DataType.DOUBLE).reshape(-1)).norm2Number()
                .doubleValue() / scale;
    }

    @ParameterizedTest(name = "constrained={0}, threshold={1}, noise={2}, seed={3}")
    @CsvSource({
        "false, 0, '', 5",
        "true, 60, '', 5",
        "true, 9, '', 6",
        "false, 0, 'crop((0.5,0.7),(0.6,0.8))+dropout(0.3,0.5)+resize(0.6,0.8)+cropout((0.4,0.6),(0.4,0.6))', 8",
    })
    void fusedStepsEqualTheSameDiffGraphs(boolean constrained, double threshold, String noise, long seed) {
        HiddenSystem reference = system(constrained, threshold, noise, seed).useEngine(HiddenSystem.Engine.SAMEDIFF);
        HiddenSystem fused = system(constrained, threshold, noise, seed);
        assertEquals(HiddenSystem.Engine.FUSED, fused.engine());
        List<Map<String, INDArray>> referenceGradients = recordGradients(reference);
        List<Map<String, INDArray>> fusedGradients = recordGradients(fused);
        for (int step = 0; step < 4; step++) {
            // every step starts from the same state: Adam's normalisation would otherwise amplify float rounding
            // (tiny gradients of opposite sign move a parameter by ±lr) and the runs would drift apart
            copyState(reference, fused);
            INDArray[] b = batch(step, step == 3 ? 2 : 3);
            double tau = 0.5 + step;
            Map<String, Double> expected = reference.trainOnBatch(b[0], b[1], tau);
            Map<String, Double> actual = fused.trainOnBatch(b[0], b[1], tau);
            assertEquals(expected.keySet(), actual.keySet());
            double tolerance = 2e-4;
            for (String k : expected.keySet()) {
                double e = expected.get(k);
                double a = actual.get(k);
                assertEquals(e, a, tolerance * Math.max(1, Math.abs(e)), "step " + step + " metric " + k);
            }
            for (int call = 2 * step; call < 2 * step + 2; call++) {
                Map<String, INDArray> e = referenceGradients.get(call);
                Map<String, INDArray> a = fusedGradients.get(call);
                assertEquals(e.keySet(), a.keySet(), "parameters with gradients, call " + call);
                for (String k : e.keySet()) {
                    double d = relativeDifference(a.get(k), e.get(k));
                    // conv biases before batch norm have a zero gradient up to rounding: compare absolutely
                    boolean beforeBatchNorm = k.endsWith("_b") && !k.contains("final") && !k.contains("linear");
                    if (beforeBatchNorm) {
                        assertTrue(a.get(k).amaxNumber().doubleValue() < 1e-4, "step " + step + " " + k);
                    } else {
                        assertTrue(d < 1e-3, "step " + step + " gradient " + k + ": " + d);
                    }
                }
            }
        }
        // the discriminator's third call of a step runs after its own Adam step, whose float rounding the two
        // systems amplify differently: its statistics agree less closely
        reference.runningStatistics().forEach((k, v) -> assertTrue(
                relativeDifference(fused.runningStatistics().get(k), v) < (k.startsWith("dis") ? 2e-2 : 1e-3),
                "running statistic " + k));
        copyState(reference, fused);
        for (int i = 0; i < 2; i++) {
            INDArray[] b = batch(10 + i, 3);
            HiddenSystem.BatchResult e = reference.validateOnBatch(b[0], b[1], 2.0);
            HiddenSystem.BatchResult a = fused.validateOnBatch(b[0], b[1], 2.0);
            assertEquals(e.totalLoss(), a.totalLoss(), 1e-4 * Math.abs(e.totalLoss()), "validation loss");
            assertEquals(e.decoderMse(), a.decoderMse(), 1e-4 * e.decoderMse(), "validation decoder MSE");
            assertEquals(e.meanPsnr(), a.meanPsnr(), 1e-3, "validation PSNR");
            assertEquals(e.discriminatorCoverBce(), a.discriminatorCoverBce(), 1e-4, "validation D(cover)");
            assertTrue(relativeDifference(a.encoded(), e.encoded()) < 1e-4, "validation encoded images");
        }
    }

    private static void copyState(HiddenSystem from, HiddenSystem to) {
        from.parameters().forEach((k, v) -> to.parameters().get(k).assign(v));
        from.runningStatistics().forEach((k, v) -> to.runningStatistics().get(k).assign(v));
    }

    @Test
    void fusedEngineRefusesDoublePrecision() {
        HiddenSystem system = new HiddenSystem(CONFIG, null, "", 1, DataType.DOUBLE);
        assertEquals(HiddenSystem.Engine.SAMEDIFF, system.engine());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> system.useEngine(HiddenSystem.Engine.FUSED));
        assertTrue(e.getMessage().contains("float"), e.getMessage());
    }
}
