package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.data.tabular.Cpssw8;
import dev.constrained4j.data.tabular.GroupBalancedSampler;
import dev.constrained4j.data.tabular.Standardizer;
import dev.constrained4j.data.tabular.StratifiedSplit;
import dev.constrained4j.data.tabular.TabularData;
import dev.constrained4j.losses.group.GroupRateConstraints;
import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import dev.constrained4j.losses.optim.SslAlm;
import dev.constrained4j.losses.optim.SslAlmConfig;
import dev.constrained4j.models.tabular.GroupConstrainedClassifier;
import dev.constrained4j.models.tabular.TabularMlp;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.runners.engine.MinibatchLoop;
import dev.constrained4j.runners.mnist.FusedMnistModel;
import dev.constrained4j.runners.mnist.MnistMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training from plain Java code: a model, a method, an optimizer and data, no command line, run folder or UI. */
class PlainJavaTrainingTest {

    /**
     * The example of docs/methods.md: MNIST with the per-sample augmented Lagrangian from plain Java code, no
     * command line, run folder or UI. Three epochs on 2,000 images lower the reconstruction errors and give
     * violated images positive multipliers.
     */
    @Test
    void trainsMnistWithTheAugmentedLagrangianFromPlainJava() {
        MnistData train = MnistData.load(RepoPaths.mnist(), true, 2000, DataType.FLOAT);
        MnistModelConfig config = MnistModelConfig.reference();
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        Map<String, INDArray> init = MnistClassifierDecoder.initialParameters(config, layers, 123L, DataType.FLOAT);
        FusedMnistModel model = new FusedMnistModel(MnistMode.ALM, config, init);
        HeapMultipliers multipliers = new HeapMultipliers(train.size());
        ConstrainedMethod alm = AugmentedLagrangianConfig.constant(1e3).inequality(0.01, multipliers);
        AdamOptimizer adam = new AdamOptimizer(1e-3);

        double before = meanReconstructionError(model, train);
        new MinibatchLoop<>(model, alm, adam, train).fit(3, train.size(), 128, 123L);
        double after = meanReconstructionError(model, train);

        assertTrue(after < 0.8 * before, "mean reconstruction MSE " + before + " -> " + after);
        Map<String, Double> stats = alm.statistics();
        assertTrue(stats.get("dual_positive") > 0.5 && stats.get("dual_max") > 0, stats.toString());
    }

    /**
     * The example of docs/methods.md, "Training from plain Java code" under group constraints: SSL-ALM on CPSSW8
     * for 3,000 iterations (about two epochs) lowers the loss from its initial value (ln 2 ≈ 0.693 for a network
     * that starts near p = 1/2) and ends with every region's positive rate within 0.05 of the overall one on the
     * training split, with non-negative multipliers.
     */
    @Test
    void trainsUnderGroupConstraintsWithSslAlmFromPlainJava() {
        TabularData raw = Cpssw8.load(RepoPaths.cpssw8(), "region", true);
        StratifiedSplit.Split split = StratifiedSplit.split(raw, 0.2, 0L);
        TabularData train = Standardizer.fit(split.train()).apply(split.train());
        GroupRateConstraints constraints = new GroupRateConstraints(raw.groupCount(), 0.05,
                GroupRateConstraints.sharesOf(train.groups(), raw.groupCount()));
        GroupConstrainedClassifier model = new GroupConstrainedClassifier(
                new TabularMlp(new int[]{train.width(), 64, 32, 1}, 1L, DataType.DOUBLE), constraints);
        ConstrainedOptimizer optimizer = new SslAlm(SslAlmConfig.seed(), constraints.count());
        GroupBalancedSampler sampler = new GroupBalancedSampler(train.groups(), raw.groupCount(), 32, 7L);
        double[] x = train.features();
        int m = constraints.count();
        double[] c1 = new double[m];
        double[] c2 = new double[m];
        double[] v = new double[m];
        for (int k = 0; k < 3000; k++) {
            int[] second = sampler.batch(0, k, 1);
            model.constraintValues(x, second, pick(train.groups(), second), c2);
            int[] rows = sampler.batch(0, k, 0);
            model.forward(x, rows, pick(train.labels(), rows), pick(train.groups(), rows), c1);
            optimizer.dualStep(c1);
            double a = optimizer.direction(c1, c2, v);
            model.backward(a, v);
            optimizer.step(model.parameters(), model.gradients());
        }
        double[] y = optimizer.multipliers();

        double[] z = model.network().predict(x);
        double loss = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            loss += GroupConstrainedClassifier.bce(z[i], train.label(i)) / z.length;
            p[i] = GroupConstrainedClassifier.sigmoid(z[i]);
        }
        double[] gaps = new double[raw.groupCount()];
        constraints.gaps(p, train.groups(), p.length, gaps);
        assertTrue(loss < 0.6, "training loss " + loss);
        assertTrue(constraints.maxViolation(gaps) <= 0, java.util.Arrays.toString(gaps));
        assertTrue(java.util.Arrays.stream(y).allMatch(value -> value >= 0), java.util.Arrays.toString(y));
    }

    private static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }

    private static double meanReconstructionError(FusedMnistModel model, MnistData data) {
        double[] ce = new double[data.size()];
        double[] recon = new double[data.size()];
        model.evaluate(data, 500, ce, recon);
        return java.util.Arrays.stream(recon).average().orElseThrow();
    }
}
