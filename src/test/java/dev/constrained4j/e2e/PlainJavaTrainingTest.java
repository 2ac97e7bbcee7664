package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.mnist.MnistData;
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

    private static double meanReconstructionError(FusedMnistModel model, MnistData data) {
        double[] ce = new double[data.size()];
        double[] recon = new double[data.size()];
        model.evaluate(data, 500, ce, recon);
        return java.util.Arrays.stream(recon).average().orElseThrow();
    }
}
