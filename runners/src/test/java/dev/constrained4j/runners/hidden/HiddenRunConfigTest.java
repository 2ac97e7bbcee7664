package dev.constrained4j.runners.hidden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.runners.run.RecordJson;
import dev.constrained4j.runners.run.RunFolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class HiddenRunConfigTest {

    private static HiddenRunConfig withBounds(List<Double> bounds, boolean baseline, int batch) {
        return new HiddenRunConfig(bounds, baseline, Path.of("data/mri-slices"), Path.of("runs"), "x", 16, 8, 4, 2,
                batch, 1e-3, 7L, "crop((0.5,0.9),(0.5,0.9))", 8, 4, 4, 0.1, 1.1, 10, 500, 1, 1, "test",
                dev.constrained4j.models.hidden.HiddenSystem.Engine.FUSED);
    }

    @Test
    void jsonRoundTripGivesTheSameConfiguration() throws Exception {
        for (HiddenRunConfig c : List.of(HiddenRunConfig.defaults(), HiddenRunConfig.paper(), HiddenRunConfig.cpu(),
                withBounds(List.of(32.5, 45.0), false, 3))) {
            JsonNode parsed = RunFolder.JSON.readTree(RecordJson.toJson(c).toString());
            assertEquals(c, RecordJson.fromJson(parsed, HiddenRunConfig.class));
        }
    }

    @Test
    void modesAreBaselineThenOnePerBound() {
        HiddenRunConfig c = withBounds(List.of(30.0, 42.5), true, 4);
        assertEquals(List.of("baseline", "psnr30", "psnr42.5"), c.modes());
        assertEquals(42.5, c.boundOf("psnr42.5"));
        assertTrue(Double.isNaN(c.boundOf("baseline")));
        // the baseline's 0.7·MSE is the fixed penalty; a floor is the sequential penalty with --penalty's schedule
        ConstrainedMethod baseline = c.method("baseline", null);
        assertEquals("fixed", baseline.name());
        assertEquals(0.7, baseline.coefficient(), 0.0);
        ConstrainedMethod floor = c.method("psnr30", null);
        assertEquals("penalty", floor.name());
        floor.beginEpoch(9);
        assertEquals(0.1 * 1.1, floor.coefficient(), 1e-15, "×1.1 at the start of the 10th epoch");
        assertFalse(c.hasMultipliers("psnr30"));
        assertEquals(64, HiddenRunConfig.paper().model().channels());
        assertEquals(224, HiddenRunConfig.paper().model().imageSize());
    }

    @Test
    void almModesFollowThePenaltyModesOfEachBound() {
        HiddenRunConfig p = withBounds(List.of(30.0, 40.0), true, 4);
        HiddenRunConfig c = new HiddenRunConfig(p.bounds(), true, p.dataDir(), p.outDir(), p.name(), p.imageSize(),
                p.messageBits(), p.channels(), p.epochs(), p.batchSize(), p.learningRate(), p.seed(), p.noise(),
                p.trainLimit(), p.valLimit(), p.testLimit(), p.penaltyStart(), p.penaltyFactor(), p.penaltyEvery(),
                p.penaltyCap(), p.downstreamEpochs(), p.threads(), p.preset(), p.engine(), List.of("penalty", "alm"),
                HiddenRunConfig.DEFAULT_ALM, false, 0, 0, null);
        assertEquals(List.of("baseline", "psnr30", "psnr30-alm", "psnr40", "psnr40-alm"), c.modes());
        assertEquals(40.0, c.boundOf("psnr40-alm"));
        assertTrue(c.hasMultipliers("psnr30-alm"));
        assertEquals("alm", c.method("psnr30-alm", new HeapMultipliers(3)).name());
        assertEquals(c, RecordJson.fromJson(RecordJson.toJson(c), HiddenRunConfig.class));
        assertThrows(IllegalArgumentException.class, () -> new HiddenRunConfig(p.bounds(), true, p.dataDir(),
                p.outDir(), p.name(), p.imageSize(), p.messageBits(), p.channels(), p.epochs(), p.batchSize(),
                p.learningRate(), p.seed(), p.noise(), p.trainLimit(), p.valLimit(), p.testLimit(), p.penaltyStart(),
                p.penaltyFactor(), p.penaltyEvery(), p.penaltyCap(), p.downstreamEpochs(), p.threads(), p.preset(),
                p.engine(), List.of("sgd"), HiddenRunConfig.DEFAULT_ALM, false, 0, 0, null));
    }

    /**
     * A margin m trains the floor as {@code c_i = T − PSNR_i ≤ −m}: an image 1 dB above T (c = −1) is satisfied and
     * free without a margin, and pays {@code τ·max(0, c + m) = 0.1·1} with m = 2 (τ = 0.1 in the first epoch), under
     * the penalty and under alm (whose term for λ = 0 is {@code ρ/2·max(0, c + m)² = 0.05·1}).
     */
    @Test
    void theMarginMovesTheBoundTheMethodsTrain() {
        HiddenRunConfig cpu = HiddenRunConfig.cpu();
        assertTrue(cpu.preciseBatchNorm());
        assertEquals(HiddenRunConfig.CPU_MARGIN, cpu.margin());
        // the last 20 of the cpu preset's 100 epochs (0-based 80..99) at a tenth of the rate; never by default
        assertEquals(1.0, cpu.learningRateScale(79));
        assertEquals(0.1, cpu.learningRateScale(80));
        assertEquals(1.0, HiddenRunConfig.defaults().learningRateScale(1000));
        HiddenRunConfig none = withBounds(List.of(30.0), true, 4);
        HiddenRunConfig two = new HiddenRunConfig(none.bounds(), true, none.dataDir(), none.outDir(), none.name(),
                none.imageSize(), none.messageBits(), none.channels(), none.epochs(), none.batchSize(),
                none.learningRate(), none.seed(), none.noise(), none.trainLimit(), none.valLimit(), none.testLimit(),
                none.penaltyStart(), none.penaltyFactor(), none.penaltyEvery(), none.penaltyCap(),
                none.downstreamEpochs(), none.threads(), none.preset(), none.engine(), HiddenRunConfig.METHODS,
                HiddenRunConfig.DEFAULT_ALM, true, 2.0, 0, null);
        ConstrainedMethod free = none.method("psnr30", null);
        ConstrainedMethod penalty = two.method("psnr30", null);
        ConstrainedMethod alm = two.method("psnr30-alm", new HeapMultipliers(1));
        for (ConstrainedMethod m : List.of(free, penalty, alm)) {
            m.beginEpoch(0);
        }
        assertEquals(0.0, free.sampleObjective(0, 0.0, -1.0), 0.0);
        assertEquals(0.1, penalty.sampleObjective(0, 0.0, -1.0), 1e-12);
        assertEquals(0.05, alm.sampleObjective(0, 0.0, -1.0), 1e-12);
        assertEquals("margin must be a number of dB in [0, 50], got NaN", assertThrows(IllegalArgumentException.class,
                () -> new HiddenRunConfig(none.bounds(), true, none.dataDir(), none.outDir(), none.name(),
                        none.imageSize(), none.messageBits(), none.channels(), none.epochs(), none.batchSize(),
                        none.learningRate(), none.seed(), none.noise(), none.trainLimit(), none.valLimit(),
                        none.testLimit(), none.penaltyStart(), none.penaltyFactor(), none.penaltyEvery(),
                        none.penaltyCap(), none.downstreamEpochs(), none.threads(), none.preset(), none.engine(),
                        HiddenRunConfig.METHODS, HiddenRunConfig.DEFAULT_ALM, true, Double.NaN, 0, null)).getMessage());
    }

    @Test
    void badValuesAreNamedWithTheirValue() {
        assertEquals("batchSize must be >= 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> withBounds(List.of(30.0), true, 1)).getMessage());
        assertEquals("nothing to train: give PSNR bounds or the baseline",
                assertThrows(IllegalArgumentException.class, () -> withBounds(List.of(), false, 4)).getMessage());
        assertEquals("PSNR bound must be a number of dB in (0, 200], got -3.0",
                assertThrows(IllegalArgumentException.class, () -> withBounds(List.of(-3.0), false, 4)).getMessage());
    }

    @Test
    void messagesAreSeededAndEvaluationMessagesFixedPerImage() {
        INDArray a = HiddenMessages.training(7, 3, 2, 4, 8);
        assertEquals(a, HiddenMessages.training(7, 3, 2, 4, 8));
        assertTrue(!a.equals(HiddenMessages.training(7, 3, 3, 4, 8)), "another batch, other bits");
        INDArray all = HiddenMessages.fixed(7, HiddenMessages.VALIDATION_STREAM, 0, 6, 8);
        INDArray tail = HiddenMessages.fixed(7, HiddenMessages.VALIDATION_STREAM, 4, 2, 8);
        assertEquals(all.getRow(4), tail.getRow(0), "an image's bits do not depend on its batch");
        double mean = HiddenMessages.training(1, 0, 0, 100, 100).meanNumber().doubleValue();
        assertTrue(Math.abs(mean - 0.5) < 0.02, "fair bits: " + mean);
    }

    @Test
    void aLastBatchOfOneImageIsMergedIntoThePreviousOne() {
        assertArrayEquals(new int[]{0, 4, 8}, HiddenMessages.boundaries(8, 4));
        assertArrayEquals(new int[]{0, 4, 9}, HiddenMessages.boundaries(9, 4));
        assertArrayEquals(new int[]{0, 4, 8, 10}, HiddenMessages.boundaries(10, 4));
        assertArrayEquals(new int[]{0, 3}, HiddenMessages.boundaries(3, 16));
    }
}
