package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.runners.mnist.fast.CoupledAdam;
import dev.constrained4j.runners.mnist.fast.FusedMnistMlp;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link MnistEngine#FUSED} engine: {@link FusedMnistMlp} with {@link CoupledAdam} in PyTorch's form. Its
 * checkpoint holds the parameters, both Adam moments and the step count (all that a bit-exact resume needs), in
 * a small binary file: a header, then the three flat vectors in ND4J's binary format.
 */
final class FusedMnistModel implements TrainableMnistModel {

    private static final String MAGIC = "constrained4j-fused-mnist";
    private static final int VERSION = 1;

    private final MnistMode mode;
    private final FusedMnistMlp mlp;
    private final CoupledAdam adam;
    private final FusedMnistMlp.Objective objective;

    FusedMnistModel(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                    Map<String, INDArray> initial) {
        this(mode, settings, modelConfig, initial, DataType.FLOAT, CoupledAdam.Form.PYTORCH);
    }

    FusedMnistModel(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                    Map<String, INDArray> initial, DataType type, CoupledAdam.Form form) {
        this.mode = mode;
        this.mlp = new FusedMnistMlp(modelConfig.inputs(), modelConfig.hidden(), modelConfig.code(),
                modelConfig.classes(), initial, mode.hasDecoder(), type);
        double wd = mode == MnistMode.WARM ? 0 : settings.weightDecay();
        this.adam = new CoupledAdam(settings.learningRate(), 0.9, 0.999, 1e-8, wd, form, mlp.flatParameters());
        PenaltyFunction function = mode == MnistMode.PENALTY ? settings.penaltyFunction() : mode.function();
        this.objective = new FusedMnistMlp.Objective(function, settings.bound(), 0);
    }

    @Override
    public double trainEpoch(MnistData train, int[] order, int batchSize, double coefficient, StepObserver observer) {
        FusedMnistMlp.Objective withCoefficient = new FusedMnistMlp.Objective(objective.function(), objective.bound(),
                coefficient);
        int[] rows = new int[Math.min(batchSize, order.length)];
        int[] labels = new int[rows.length];
        int[] classes = train.classes();
        double sum = 0;
        int count = 0;
        for (int start = 0; start < order.length; start += batchSize) {
            int n = Math.min(batchSize, order.length - start);
            if (n != rows.length) {
                rows = new int[n];
                labels = new int[n];
            }
            System.arraycopy(order, start, rows, 0, n);
            for (int i = 0; i < n; i++) {
                labels[i] = classes[rows[i]];
            }
            INDArray x = mlp.gather(train.features(), rows);
            double value = mlp.objectiveAndGradient(x, labels, withCoefficient);
            adam.step(mlp.flatParameters(), mlp.flatGradients());
            sum += value;
            count++;
            observer.onStep(value, n);
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public int evaluate(MnistData data, int batchSize, double[] ce, double[] recon) {
        int n = data.size();
        int correct = 0;
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            INDArray x = data.features().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            correct += mlp.evaluate(x, data.classes(), start, ce, recon);
        }
        return correct;
    }

    @Override
    public Map<String, INDArray> parameters(List<String> layers) {
        Map<String, INDArray> all = mlp.parameters();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String layer : layers) {
            for (String suffix : new String[]{"_W", "_b"}) {
                INDArray p = all.get(layer + suffix);
                if (p == null) {
                    throw new IllegalArgumentException("the " + mode.key() + " model has no parameter '" + layer + suffix + "'");
                }
                out.put(layer + suffix, p);
            }
        }
        return out;
    }

    @Override
    public INDArray reconstruct(INDArray features) {
        return mlp.reconstruct(features);
    }

    @Override
    public void save(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(mode.key());
            out.writeLong(adam.steps());
            Nd4j.write(mlp.flatParameters(), out);
            Nd4j.write(adam.firstMoments(), out);
            Nd4j.write(adam.secondMoments(), out);
        }
    }

    @Override
    public void load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new IOException(file + " is not a checkpoint of the fused MNIST engine (version " + VERSION
                        + "); was the run made with another --engine?");
            }
            String savedMode = in.readUTF();
            if (!savedMode.equals(mode.key())) {
                throw new IOException(file + " is a checkpoint of mode " + savedMode + ", not " + mode.key());
            }
            long steps = in.readLong();
            INDArray params = Nd4j.read(in);
            INDArray m = Nd4j.read(in);
            INDArray v = Nd4j.read(in);
            if (params.length() != mlp.flatParameters().length()) {
                throw new IOException(file + " holds " + params.length() + " parameters; the model has "
                        + mlp.flatParameters().length());
            }
            mlp.flatParameters().assign(params);
            adam.restore(steps, m, v);
        }
    }

    /** The network (for tests). */
    FusedMnistMlp network() {
        return mlp;
    }
}
