package dev.constrained4j.models.hidden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.AugmentedLagrangian;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.SampleBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Holds the fused engine to the SameDiff graphs (the definition, gradient-checked in double elsewhere): the same
 * system trained by each engine from the same state gives the same gradients, metrics, running statistics and
 * validation values, to float rounding, under the runner's penalty methods and under a per-sample augmented
 * Lagrangian whose weights differ between images. Both run in float, so the tolerances are relative norms of ~1e-4.
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
        // the runner's methods: the fixed penalty 0.7·MSE_i (baseline), the hinge penalty with τ = 0.5 + step
        compareEngines(reference, fused, step -> {
            ConstrainedMethod method = HiddenSteps.method(reference, 0.5 + step);
            return new ConstrainedMethod[]{method, method};
        }, (step, batch) -> { });
    }

    /**
     * The engines on a per-sample augmented Lagrangian: with T = 3 dB between the images' PSNRs (about 2.3 to 3.8 dB
     * at these first steps) and multipliers that differ between images, every step has per-image weights
     * {@code w_i = max(0, λ_i + ρ·(T − PSNR_i))} that differ between its images (some 0, some from a satisfied image
     * whose multiplier keeps it active), so the image gradient of each image is scaled by its own factor.
     */
    @Test
    void fusedStepsEqualTheSameDiffGraphsUnderPerImageMultipliers() {
        HiddenSystem reference = system(true, 3.0, "", 6).useEngine(HiddenSystem.Engine.SAMEDIFF);
        HiddenSystem fused = system(true, 3.0, "", 6);
        // images 3·step + i; λ chosen so that no image sits near the kink λ + ρg = 0 (|λ + ρg| > 0.1 at these steps)
        float[] lambda = {0f, 1.5f, 0.3f, 2.0f, 0f, 1.2f, 0f, 0.5f, 1.0f, 0.4f, 0f, 0f};
        AugmentedLagrangian referenceMethod = augmentedLagrangian(lambda);
        AugmentedLagrangian fusedMethod = augmentedLagrangian(lambda);
        List<double[]> weights = new ArrayList<>();
        List<double[]> constraints = new ArrayList<>();
        compareEngines(reference, fused, step -> {
            // both steps start from the same multipliers, as from the same parameters
            fusedMethod.multipliers().copyFrom(referenceMethod.multipliers());
            return new ConstrainedMethod[]{referenceMethod, fusedMethod};
        }, (step, batch) -> {
            weights.add(Arrays.copyOf(batch.weights(), batch.size()));
            constraints.add(Arrays.copyOf(batch.constraints(), batch.size()));
        });
        assertEquals(4, weights.size());
        boolean zero = false;
        boolean activeSatisfied = false;
        for (int step = 0; step < weights.size(); step++) {
            double[] w = weights.get(step);
            double[] c = constraints.get(step);
            String state = "step " + step + ": c = " + Arrays.toString(c) + ", w = " + Arrays.toString(w);
            assertTrue(Arrays.stream(w).distinct().count() == w.length, "weights differ between images, " + state);
            for (int i = 0; i < w.length; i++) {
                zero |= w[i] == 0;
                activeSatisfied |= c[i] < 0 && w[i] > 0;
                assertTrue(w[i] == 0 || w[i] > 0.1, "no image near the kink, " + state);
            }
        }
        assertTrue(zero, "some image has no image gradient");
        assertTrue(activeSatisfied, "some satisfied image is pushed by its multiplier");
        // the dual steps moved the multipliers of the images seen: λ_i ← max(0, λ_i + ρ·c_i)
        assertTrue(referenceMethod.multipliers().get(1) > lambda[1]);
    }

    private static AugmentedLagrangian augmentedLagrangian(float[] lambda) {
        HeapMultipliers multipliers = new HeapMultipliers(lambda.length);
        for (int i = 0; i < lambda.length; i++) {
            multipliers.set(i, lambda[i]);
        }
        return AugmentedLagrangianConfig.constant(1.0).inequality(0.0, multipliers);
    }

    /** The methods of a step for the SameDiff and the fused system (the same object when it has no state). */
    private interface StepMethods {
        ConstrainedMethod[] of(int step);
    }

    /** Sees the SameDiff system's batch of each step after its dual step. */
    private interface BatchObserver {
        void seen(int step, SampleBatch batch);
    }

    /**
     * Four steps of each system from the same state (batches of 3, 3, 3 and 2 images, samples 3·step + i): the same
     * metrics and every gradient of every optimizer call, then the running statistics and two validation batches.
     */
    private static void compareEngines(HiddenSystem reference, HiddenSystem fused, StepMethods methods,
                                       BatchObserver observer) {
        assertEquals(HiddenSystem.Engine.FUSED, fused.engine());
        List<Map<String, INDArray>> referenceGradients = recordGradients(reference);
        List<Map<String, INDArray>> fusedGradients = recordGradients(fused);
        for (int step = 0; step < 4; step++) {
            // every step starts from the same state: Adam's normalisation would otherwise amplify float rounding
            // (tiny gradients of opposite sign move a parameter by ±lr) and the runs would drift apart
            copyState(reference, fused);
            int n = step == 3 ? 2 : 3;
            INDArray[] b = batch(step, n);
            long[] indices = LongStream.range(3L * step, 3L * step + n).toArray();
            ConstrainedMethod[] m = methods.of(step);
            SampleBatch seen = new SampleBatch(n).resize(n);
            System.arraycopy(indices, 0, seen.indices(), 0, n);
            Map<String, Double> expected = definition(() -> HiddenSteps.train(reference, b[0], b[1], m[0], seen));
            observer.seen(step, seen);
            Map<String, Double> actual = HiddenSteps.train(fused, b[0], b[1], m[1], indices);
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
            HiddenSystem.BatchResult e = definition(() -> reference.validateOnBatch(b[0], b[1]));
            HiddenSystem.BatchResult a = fused.validateOnBatch(b[0], b[1]);
            assertEquals(e.totalLoss(), a.totalLoss(), 1e-4 * Math.abs(e.totalLoss()), "validation loss");
            assertEquals(e.decoderMse(), a.decoderMse(), 1e-4 * e.decoderMse(), "validation decoder MSE");
            assertEquals(e.meanPsnr(), a.meanPsnr(), 1e-3, "validation PSNR");
            assertEquals(e.discriminatorCoverBce(), a.discriminatorCoverBce(), 1e-4, "validation D(cover)");
            assertTrue(relativeDifference(a.encoded(), e.encoded()) < 1e-4, "validation encoded images");
        }
    }

    /**
     * Runs the SameDiff system without libnd4j's oneDNN helpers. With them, on an AMD EPYC (measured), the
     * float graph's encoder gradients are 2–3e-3 (relative norm) from the double graph's, against 1.5e-6 for the
     * fused engine and 5e-6 for the float graph without helpers (an isolated float {@code conv2d_bp} is within 5e-7
     * either way, so it is another oneDNN-backed op of the graph): the definition is taken at its own precision.
     * The fused engine keeps its oneDNN convolutions.
     */
    private static <T> T definition(Supplier<T> step) {
        boolean helpers = Nd4j.getEnvironment().helpersAllowed();
        Nd4j.getEnvironment().allowHelpers(false);
        try {
            return step.get();
        } finally {
            Nd4j.getEnvironment().allowHelpers(helpers);
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

    private static List<HiddenSampleModel.Images> images(int... sizes) {
        List<HiddenSampleModel.Images> batches = new ArrayList<>();
        for (int k = 0; k < sizes.length; k++) {
            INDArray[] b = batch(40 + k, sizes[k]);
            batches.add(new HiddenSampleModel.Images(b[0], b[1]));
        }
        return batches;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
        Map<String, INDArray> c = new LinkedHashMap<>();
        arrays.forEach((k, v) -> c.put(k, v.dup()));
        return c;
    }

    /**
     * Precise batch norm: both engines give the encoder's and decoder's blocks the same recomputed statistics (here
     * after two training steps, through a resize noise layer), and touch nothing else: parameters and the
     * discriminator's statistics stay bit for bit.
     */
    @Test
    void preciseBatchNormAgreesBetweenEnginesAndTouchesNothingElse() {
        String noise = "resize(0.6,0.8)";
        HiddenSystem reference = system(true, 20, noise, 9).useEngine(HiddenSystem.Engine.SAMEDIFF);
        HiddenSystem fused = system(true, 20, noise, 9);
        for (int step = 0; step < 2; step++) {
            INDArray[] b = batch(step, 4);
            definition(() -> HiddenSteps.train(reference, b[0], b[1], 1.0));
            HiddenSteps.train(fused, b[0], b[1], 1.0);
            // the same state, and the same step count (the noise of the recomputation depends on it)
            copyState(reference, fused);
        }
        Map<String, INDArray> parameters = copy(fused.parameters());
        Map<String, INDArray> before = copy(fused.runningStatistics());
        definition(() -> {
            reference.recomputeRunningStatistics(images(4, 3, 5));
            return null;
        });
        fused.recomputeRunningStatistics(images(4, 3, 5));
        assertEquals(parameters, fused.parameters());
        int recomputed = 0;
        for (Map.Entry<String, INDArray> e : fused.runningStatistics().entrySet()) {
            String name = e.getKey();
            if (HiddenNetworks.Network.DISCRIMINATOR.owns(name)) {
                assertEquals(before.get(name), e.getValue(), name);
                assertEquals(before.get(name), reference.runningStatistics().get(name), name);
                continue;
            }
            recomputed++;
            assertTrue(relativeDifference(e.getValue(), before.get(name)) > 1e-3, name + " was recomputed");
            double d = relativeDifference(e.getValue(), reference.runningStatistics().get(name));
            assertTrue(d < 1e-4, name + ": fused against SameDiff " + d);
        }
        // 2 encoder blocks + the concatenation block, 3 decoder blocks: a mean and a variance each
        assertEquals(12, recomputed);
    }

    /**
     * The recomputed statistics are the batches' average, every batch weighing the same: without noise the statistics
     * of a batch depend only on the weights and the batch, so those of batches A and B together are the mean of A's
     * alone and B's alone.
     */
    @Test
    void preciseBatchNormAveragesTheBatches() {
        HiddenSystem both = system(false, 0, "", 4);
        HiddenSystem first = system(false, 0, "", 4);
        HiddenSystem second = system(false, 0, "", 4);
        List<HiddenSampleModel.Images> batches = images(4, 6);
        both.recomputeRunningStatistics(batches);
        first.recomputeRunningStatistics(batches.subList(0, 1));
        second.recomputeRunningStatistics(batches.subList(1, 2));
        for (Map.Entry<String, INDArray> e : both.runningStatistics().entrySet()) {
            if (HiddenNetworks.Network.DISCRIMINATOR.owns(e.getKey())) {
                continue;
            }
            INDArray mean = first.runningStatistics().get(e.getKey()).add(second.runningStatistics().get(e.getKey()))
                    .div(2);
            double d = relativeDifference(e.getValue(), mean);
            assertTrue(d < 1e-6, e.getKey() + ": " + d);
            assertTrue(relativeDifference(first.runningStatistics().get(e.getKey()),
                    second.runningStatistics().get(e.getKey())) > 1e-3, e.getKey() + " differs between the batches");
        }
    }
}
