package dev.constrained4j.runners.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.AugmentedLagrangian;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.method.MultiplierStore;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.penalty.PenaltyObjective;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.models.mnist.fast.FusedMnistMlp;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.runners.engine.MinibatchLoop;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Differential tests of the fused engine against the SameDiff objective of {@link PenaltyObjective}, its single
 * definition, under every method of the MNIST modes ({@link MnistConfig#method}): the same per-sample terms, the
 * same method objective and the same gradients for the same τ and weights {@code w_i} (double precision); float
 * against double gradients; the same evaluation; {@link AdamOptimizer} against PyTorch's update by hand; and a
 * bit-exact checkpoint round trip of model, optimiser and method state (the whole experiment's resume is the e2e
 * {@code MnistResumeTest}).
 */
class FusedMnistMlpTest {

    private static final MnistModelConfig SMALL = new MnistModelConfig(30, 12, 5, 10);
    /** τ of the fixed and penalty modes (epoch 0), ρ of the augmented Lagrangian. */
    private static final double TAU = 37.5;
    private static final double RHO = 20;

    /** One row per objective the modes train: mode, penalty function of the penalty mode, model sizes. */
    record Objective(MnistMode mode, PenaltyFunction function, MnistModelConfig model) {
    }

    static Stream<Objective> objectives() {
        return Stream.of(
                new Objective(MnistMode.WARM, PenaltyFunction.HINGE, SMALL),
                new Objective(MnistMode.PLAIN, PenaltyFunction.HINGE, SMALL),
                new Objective(MnistMode.FIXED, PenaltyFunction.HINGE, SMALL),
                new Objective(MnistMode.PENALTY, PenaltyFunction.HINGE, SMALL),
                new Objective(MnistMode.PENALTY, PenaltyFunction.SQUARED_HINGE, SMALL),
                new Objective(MnistMode.ALM, PenaltyFunction.HINGE, SMALL),
                new Objective(MnistMode.PENALTY, PenaltyFunction.HINGE, MnistModelConfig.reference()),
                new Objective(MnistMode.ALM, PenaltyFunction.HINGE, MnistModelConfig.reference()));
    }

    @ParameterizedTest
    @MethodSource("objectives")
    void objectiveAndGradientsEqualSameDiff(Objective o) {
        MnistModelConfig model = o.model();
        MnistData data = as(data(model, 20, 5), DataType.DOUBLE);
        Map<String, INDArray> params = initial(model, DataType.DOUBLE);
        FusedMnistModel fused = new FusedMnistModel(o.mode(), model, params, DataType.DOUBLE);
        // a batch of 13 images in shuffled order: the engines gather their rows by sample index
        long[] indices = Arrays.stream(shuffled(data.size(), 9)).limit(13).asLongStream().toArray();
        SampleBatch fusedBatch = batch(indices);
        fused.forward(data, fusedBatch, true);
        double bound = o.mode().hasDecoder() ? median(fusedBatch.constraints(), fusedBatch.size()) : 0.01;
        MnistConfig settings = config(o.function(), bound);
        ConstrainedMethod method = settings.method(o.mode(), multipliers(fusedBatch, bound, data.size()));
        method.beginEpoch(0);

        SameDiffMnistModel sameDiff = new SameDiffMnistModel(o.mode(), settings, model, params, DataType.DOUBLE);
        SampleBatch sameDiffBatch = batch(indices);
        sameDiff.forward(data, sameDiffBatch, true);
        assertArrayEquals(head(sameDiffBatch.losses(), 13), head(fusedBatch.losses(), 13), 1e-12, "ℓ_i");
        assertArrayEquals(head(sameDiffBatch.constraints(), 13), head(fusedBatch.constraints(), 13), 1e-12, "c_i");

        BatchTerms fusedTerms = method.terms(fusedBatch);
        BatchTerms sameDiffTerms = method.terms(sameDiffBatch);
        assertEquals(sameDiffTerms.objective(), fusedTerms.objective(), 1e-12 * Math.max(1, Math.abs(
                sameDiffTerms.objective())), "the method's objective");
        assertEquals(sameDiffTerms.constraintScale(), fusedTerms.constraintScale(), 0.0);
        assertArrayEquals(head(sameDiffBatch.weights(), 13), head(fusedBatch.weights(), 13), 0.0,
                "no sample near a kink: the same weights from either engine's c_i");
        requireNotVacuous(o.mode(), fusedBatch, bound);

        fused.backward(fusedBatch, fusedTerms);
        sameDiff.backward(sameDiffBatch, sameDiffTerms);
        Map<String, INDArray> fusedGrads = fused.network().gradients();
        Map<String, INDArray> expectedGrads = sameDiff.gradients();
        assertEquals(expectedGrads.keySet(), fusedGrads.keySet());
        for (Map.Entry<String, INDArray> e : fusedGrads.entrySet()) {
            INDArray want = expectedGrads.get(e.getKey()).reshape(e.getValue().shape());
            double scale = Math.max(1e-3, want.norm2Number().doubleValue());
            double error = want.sub(e.getValue()).norm2Number().doubleValue();
            assertTrue(error <= 1e-9 * scale, e.getKey() + ": |Δ| = " + error + " for |g| = " + scale);
        }
        if (o.mode().hasDecoder()) {
            // the graph's value with the method's placeholders is mean(ℓ) + τ·mean(w·c), not the method's objective
            SameDiff sd = SameDiffMnistModel.build(o.mode(), settings, model, params, DataType.DOUBLE);
            Map<String, INDArray> feed = new HashMap<>();
            int[] rows = Arrays.stream(indices).mapToInt(i -> (int) i).toArray();
            feed.put(MnistClassifierDecoder.INPUT, data.features().getRows(rows).castTo(DataType.DOUBLE));
            feed.put(MnistClassifierDecoder.LABELS, data.labels().getRows(rows).castTo(DataType.DOUBLE));
            PenaltyObjective.feed(feed, fusedTerms, fusedBatch, DataType.DOUBLE);
            double graph = sd.output(feed, PenaltyObjective.LOSS).get(PenaltyObjective.LOSS).getDouble(0);
            double linearisation = 0;
            for (int i = 0; i < 13; i++) {
                linearisation += fusedBatch.losses()[i]
                        + fusedTerms.constraintScale() * fusedBatch.weights()[i] * fusedBatch.constraints()[i];
            }
            assertEquals(linearisation / 13, graph, 1e-12 * Math.max(1, Math.abs(graph)));
        }
    }

    /**
     * The weights the comparison runs on: none without a decoder; the same positive weight for every sample of the
     * fixed penalty; weights that differ between samples, some zero, for the hinges and the augmented Lagrangian.
     */
    private static void requireNotVacuous(MnistMode mode, SampleBatch batch, double bound) {
        double[] w = head(batch.weights(), batch.size());
        double[] c = head(batch.constraints(), batch.size());
        String state = mode + ": c = " + Arrays.toString(c) + ", B = " + bound + ", w = " + Arrays.toString(w);
        switch (mode) {
            case WARM, PLAIN -> assertTrue(Arrays.stream(w).allMatch(v -> v == 0), state);
            case FIXED -> assertTrue(Arrays.stream(w).allMatch(v -> v == 1), state);
            case PENALTY, ALM -> {
                assertTrue(Arrays.stream(w).anyMatch(v -> v == 0) && Arrays.stream(w).anyMatch(v -> v > 0), state);
                for (double v : c) {
                    assertTrue(Math.abs(v - bound) > 1e-6, "sample at the bound, " + state);
                }
            }
        }
        if (mode == MnistMode.ALM) {
            assertTrue(Arrays.stream(w).filter(v -> v > 0).distinct().count() > 2, state);
            boolean activeSatisfied = false;
            for (int i = 0; i < w.length; i++) {
                activeSatisfied |= c[i] < bound && w[i] > 0;
            }
            assertTrue(activeSatisfied, "a satisfied sample pushed by its multiplier, " + state);
        }
    }

    /**
     * Multipliers for the augmented Lagrangian: every third sample of the batch λ = 0; the others λ = ρ·|g|·k with
     * k = 2 (active: λ + ρg > 0 even where g < 0) or k = 0.5 (a satisfied sample stays inactive), so that no sample
     * is near its kink {@code λ + ρg = 0} and the weights differ between samples.
     */
    private static MultiplierStore multipliers(SampleBatch batch, double bound, int size) {
        HeapMultipliers store = new HeapMultipliers(size);
        for (int i = 0; i < batch.size(); i++) {
            double g = batch.constraints()[i] - bound;
            double k = i % 3 == 0 ? 0 : i % 3 == 1 ? 2 : 0.5;
            store.set(batch.indices()[i], (float) (RHO * Math.abs(g) * k));
        }
        return store;
    }

    /** The float training path (decoder tail computed in Java) against the double path, which equals SameDiff. */
    @ParameterizedTest
    @EnumSource(value = MnistMode.class, names = {"PENALTY", "ALM"})
    void floatGradientsEqualDoubleGradients(MnistMode mode) {
        MnistModelConfig model = MnistModelConfig.reference();
        MnistData data = data(model, 64, 23);
        Map<String, INDArray> params = initial(model, DataType.DOUBLE);
        FusedMnistModel exact = new FusedMnistModel(mode, model, params, DataType.DOUBLE);
        FusedMnistModel fast = new FusedMnistModel(mode, model, params, DataType.FLOAT);
        long[] indices = Arrays.stream(shuffled(64, 1)).asLongStream().toArray();
        SampleBatch exactBatch = batch(indices);
        SampleBatch fastBatch = batch(indices);
        exact.forward(as(data, DataType.DOUBLE), exactBatch, true);
        fast.forward(data, fastBatch, true);
        assertArrayEquals(head(exactBatch.losses(), 64), head(fastBatch.losses(), 64), 1e-5);
        assertArrayEquals(head(exactBatch.constraints(), 64), head(fastBatch.constraints(), 64), 1e-6);
        double bound = median(exactBatch.constraints(), 64);
        ConstrainedMethod method = config(PenaltyFunction.HINGE, bound).method(mode,
                multipliers(exactBatch, bound, 64));
        BatchTerms exactTerms = method.terms(exactBatch);
        BatchTerms fastTerms = method.terms(fastBatch);
        assertEquals(exactTerms.objective(), fastTerms.objective(), 1e-5 * Math.abs(exactTerms.objective()));
        assertArrayEquals(head(exactBatch.weights(), 64), head(fastBatch.weights(), 64),
                mode == MnistMode.ALM ? 1e-4 : 0.0, "the same weights from the float c_i");
        exact.backward(exactBatch, exactTerms);
        fast.backward(fastBatch, fastTerms);
        Map<String, INDArray> a = exact.network().gradients();
        Map<String, INDArray> b = fast.network().gradients();
        for (String name : a.keySet()) {
            double scale = Math.max(1e-3, a.get(name).norm2Number().doubleValue());
            double error = a.get(name).sub(b.get(name).castTo(DataType.DOUBLE)).norm2Number().doubleValue();
            assertTrue(error <= 1e-4 * scale, name + ": |Δ| = " + error + " for |g| = " + scale);
        }
    }

    @Test
    void evaluationEqualsSameDiff() {
        MnistModelConfig model = MnistModelConfig.reference();
        MnistData data = data(model, 250, 11);
        Map<String, INDArray> params = initial(model, DataType.FLOAT);
        MnistConfig settings = config(PenaltyFunction.HINGE, 0.05);
        FusedMnistModel fused = new FusedMnistModel(MnistMode.PENALTY, model, params);
        SameDiffMnistModel sameDiff = new SameDiffMnistModel(MnistMode.PENALTY, settings, model, params);
        double[] ceA = new double[data.size()];
        double[] reconA = new double[data.size()];
        double[] ceB = new double[data.size()];
        double[] reconB = new double[data.size()];
        int correctA = fused.evaluate(data, 64, ceA, reconA);
        int correctB = sameDiff.evaluate(data, 100, ceB, reconB);
        assertEquals(correctB, correctA);
        assertArrayEquals(ceB, ceA, 1e-5);
        assertArrayEquals(reconB, reconA, 1e-6);
        INDArray x = data.features().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertTrue(fused.reconstruct(x).equalsWithEps(sameDiff.reconstruct(x), 1e-6));
    }

    /** {@link AdamOptimizer} with coupled L2 on the fused model's flat parameters, against torch.optim.Adam by hand. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void pytorchFormIsPytorchsUpdate(DataType type) {
        MnistModelConfig model = SMALL;
        MnistData data = data(model, 8, 5);
        FusedMnistMlp mlp = new FusedMnistMlp(model.inputs(), model.hidden(), model.code(), model.classes(),
                initial(model, DataType.DOUBLE), true, type);
        double lr = 1e-3;
        double wd = 1e-3;
        AdamOptimizer adam = new AdamOptimizer(lr, 0.9, 0.999, 1e-8, wd);
        Map<String, INDArray> params = Map.of(FusedMnistModel.FLAT, mlp.flatParameters());
        Map<String, INDArray> grads = Map.of(FusedMnistModel.FLAT, mlp.flatGradients());
        INDArray x = data.features().castTo(type);
        double[] w = mlp.flatParameters().castTo(DataType.DOUBLE).toDoubleVector();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] losses = new double[8];
        double[] constraints = new double[8];
        double[] weights = new double[8];
        for (int t = 1; t <= 3; t++) {
            mlp.forward(x, data.classes(), losses, constraints);
            for (int i = 0; i < 8; i++) {
                weights[i] = PenaltyFunction.HINGE.slope(constraints[i], 0.05);
            }
            mlp.backward(1.0, 10, weights);
            double[] g = mlp.flatGradients().castTo(DataType.DOUBLE).toDoubleVector();
            adam.step(params, grads);
            assertEquals(t, adam.stepCount());
            // torch.optim.Adam (1.13), weight_decay > 0, amsgrad off
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + wd * w[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                double bc1 = 1 - Math.pow(0.9, t);
                double bc2 = 1 - Math.pow(0.999, t);
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8;
                w[i] -= lr / bc1 * m[i] / denom;
            }
            // float: the update in float arithmetic, and the weights rounded to float after every step (|w| < 0.5)
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-7;
            assertArrayEquals(w, mlp.flatParameters().castTo(DataType.DOUBLE).toDoubleVector(), tolerance, "step " + t);
            if (type == DataType.FLOAT) {
                w = mlp.flatParameters().castTo(DataType.DOUBLE).toDoubleVector();
            }
        }
        assertTrue(Arrays.stream(losses).allMatch(Double::isFinite));
    }

    /**
     * A checkpoint as {@code ConstrainedTrainer} writes one, in memory (the method's state, then the model and the
     * optimiser: {@code MnistTask.writeCheckpoint}), read into a fresh model, optimiser and method, continues bit
     * for bit: the parameters and the augmented Lagrangian's multipliers after another epoch.
     */
    @Test
    void checkpointResumesBitForBit() throws IOException {
        MnistModelConfig model = MnistModelConfig.reference();
        MnistData data = data(model, 200, 17);
        Map<String, INDArray> params = initial(model, DataType.FLOAT);
        MnistConfig settings = config(PenaltyFunction.HINGE, 0.05);
        Run first = new Run(model, params, settings, data);
        first.epoch(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            first.method.state().write(out);
            first.model.write(out);
            first.optimizer.write(out);
        }
        Run resumed = new Run(model, initial(model, DataType.FLOAT), settings, data);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            resumed.method.restore(MethodState.read(in, resumed.method.state().multipliers()));
            resumed.model.read(in);
            resumed.optimizer.read(in);
        }
        assertEquals(first.optimizer.stepCount(), resumed.optimizer.stepCount());
        first.epoch(1);
        resumed.epoch(1);
        assertArrayEquals(first.model.network().flatParameters().toFloatVector(),
                resumed.model.network().flatParameters().toFloatVector(), 0f);
        float[] a = new float[data.size()];
        float[] b = new float[data.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = first.method.multipliers().get(i);
            b[i] = resumed.method.multipliers().get(i);
        }
        boolean moved = false;
        for (float l : a) {
            moved |= l > 0;
        }
        assertTrue(moved, "some multipliers moved");
        assertArrayEquals(a, b, 0f);
    }

    /** A fused ALM stage of the runner: model, Adam with coupled L2 and the method, driven by the minibatch loop. */
    private static final class Run {
        final FusedMnistModel model;
        final AdamOptimizer optimizer;
        final AugmentedLagrangian method;
        final MinibatchLoop<MnistData> loop;
        final int size;

        Run(MnistModelConfig config, Map<String, INDArray> params, MnistConfig settings, MnistData data) {
            model = new FusedMnistModel(MnistMode.ALM, config, params);
            optimizer = new AdamOptimizer(settings.learningRate(), AdamOptimizer.BETA1, AdamOptimizer.BETA2,
                    AdamOptimizer.EPSILON, settings.weightDecay());
            method = (AugmentedLagrangian) settings.method(MnistMode.ALM, new HeapMultipliers(data.size()));
            loop = new MinibatchLoop<>(model, method, optimizer, data);
            size = data.size();
        }

        void epoch(int epoch) {
            loop.runEpoch(epoch, shuffled(size, 5 + epoch), 64, null);
        }
    }

    private static SampleBatch batch(long[] indices) {
        SampleBatch batch = new SampleBatch(indices.length).resize(indices.length);
        System.arraycopy(indices, 0, batch.indices(), 0, indices.length);
        return batch;
    }

    private static double[] head(double[] values, int n) {
        return Arrays.copyOf(values, n);
    }

    /** The midpoint of the two middle values, so that about half the batch violates a bound placed there. */
    private static double median(double[] values, int n) {
        double[] sorted = head(values, n);
        Arrays.sort(sorted);
        return (sorted[n / 2] + sorted[n / 2 - 1]) / 2;
    }

    /** The test's settings: λ = τ_0 = {@value #TAU} (τ grows from epoch 1 on), ρ = {@value #RHO}. */
    private static MnistConfig config(PenaltyFunction function, double bound) {
        return new MnistConfig(List.of(MnistMode.PENALTY), Path.of("data/mnist"), Path.of("runs"), Path.of("warm"),
                0, 1, 64, 100, 1L, 0, 0, 1e-3, 1e-3, bound, TAU, TAU, 1.01, 1e4, function, 1, "test")
                .withAlm(AugmentedLagrangianConfig.constant(RHO));
    }

    private static Map<String, INDArray> initial(MnistModelConfig model, DataType type) {
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        return MnistClassifierDecoder.initialParameters(model, layers, 42, type);
    }

    /** Images with pixels in [0, 1], a third of them exactly 0 as in MNIST, and random classes. */
    private static MnistData data(MnistModelConfig model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] pixels = new double[n * model.inputs()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(3) == 0 ? 0 : random.nextDouble();
        }
        int[] classes = new int[n];
        double[] oneHot = new double[n * model.classes()];
        for (int i = 0; i < n; i++) {
            classes[i] = random.nextInt(model.classes());
            oneHot[i * model.classes() + classes[i]] = 1;
        }
        INDArray features = Nd4j.create(pixels, new long[]{n, model.inputs()}, 'c').castTo(DataType.FLOAT);
        INDArray labels = Nd4j.create(oneHot, new long[]{n, model.classes()}, 'c').castTo(DataType.FLOAT);
        return new MnistData(features, labels, classes, 1, model.inputs());
    }

    /** The same images and labels in another floating type (a model gathers its batch rows in its own type). */
    private static MnistData as(MnistData data, DataType type) {
        return new MnistData(data.features().castTo(type), data.labels().castTo(type), data.classes(), data.rows(),
                data.cols());
    }

    private static int[] shuffled(int n, long seed) {
        return EpochOrder.shuffle(n, new SplittableRandom(seed));
    }
}
