package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

public class SpeedProbe {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        System.out.println("env " + Nd4j.getExecutioner().getEnvironmentInformation());
        MnistConfig c = MnistConfig.defaults();
        MnistData train = MnistData.load(Path.of("../data/mnist"), true, 0, DataType.FLOAT);
        MnistData test = MnistData.load(Path.of("../data/mnist"), false, 0, DataType.FLOAT);
        MnistModelConfig mc = MnistModelConfig.reference();
        Map<String, INDArray> p = new LinkedHashMap<>(MnistClassifierDecoder.initialParameters(mc, MnistClassifierDecoder.ENCODER_LAYERS, 1, DataType.FLOAT));
        p.putAll(MnistClassifierDecoder.initialParameters(mc, MnistClassifierDecoder.DECODER_LAYERS, 2, DataType.FLOAT));
        Path dir = Files.createTempDirectory("probe");
        MnistTask t = new MnistTask(MnistMode.PENALTY, c, train, test, mc, p, p, new MnistOutputs(dir, mc));
        for (int e = 0; e < 2; e++) {
            long t0 = System.nanoTime();
            double obj = t.trainEpoch(e, 100);
            long t1 = System.nanoTime();
            Map<String, Double> m = t.evaluate();
            long t2 = System.nanoTime();
            System.out.printf("epoch %d obj %.4f train %.2fs eval %.2fs %s%n", e, obj, (t1 - t0) / 1e9, (t2 - t1) / 1e9, m);
        }
    }
}
