package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.models.mnist.fast.FusedMnistMlp;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link MnistEngine#FUSED} engine: {@link FusedMnistMlp}, whose parameters are one flat vector (one array
 * for the optimiser). Its checkpoint part is a header and that vector in ND4J's binary format. Public so that the
 * model can be trained from plain Java code with the {@code MinibatchLoop} ({@code docs/methods.md}).
 */
public final class FusedMnistModel implements TrainableMnistModel {

    /** Name of the one flat parameter array. */
    static final String FLAT = "parameters";
    private static final String MAGIC = "constrained4j-fused-mnist";
    private static final int VERSION = 2;

    private final MnistMode mode;
    private final FusedMnistMlp mlp;
    private final Map<String, INDArray> parameters;
    private final Map<String, INDArray> gradients;
    private int[] rows = new int[0];
    private int[] labels = new int[0];

    /**
     * A float model of the mode's layers ({@link MnistMode#hasDecoder()}: with or without the decoder).
     *
     * @param initial parameters keyed {@code <layer>_W} / {@code <layer>_b} (e.g.
     *                {@code MnistClassifierDecoder.initialParameters}); copied
     */
    public FusedMnistModel(MnistMode mode, MnistModelConfig modelConfig, Map<String, INDArray> initial) {
        this(mode, modelConfig, initial, DataType.FLOAT);
    }

    FusedMnistModel(MnistMode mode, MnistModelConfig modelConfig, Map<String, INDArray> initial, DataType type) {
        this.mode = mode;
        this.mlp = new FusedMnistMlp(modelConfig.inputs(), modelConfig.hidden(), modelConfig.code(),
                modelConfig.classes(), initial, mode.hasDecoder(), type);
        this.parameters = Map.of(FLAT, mlp.flatParameters());
        this.gradients = Map.of(FLAT, mlp.flatGradients());
    }

    @Override
    public void forward(MnistData data, SampleBatch batch, boolean needConstraints) {
        int n = batch.size();
        if (rows.length != n) {
            rows = new int[n];
            labels = new int[n];
        }
        long[] indices = batch.indices();
        int[] classes = data.classes();
        for (int i = 0; i < n; i++) {
            rows[i] = (int) indices[i];
            labels[i] = classes[rows[i]];
        }
        INDArray x = mlp.gather(data.features(), rows);
        mlp.forward(x, labels, batch.losses(), batch.constraints());
    }

    @Override
    public void backward(SampleBatch batch, BatchTerms terms) {
        mlp.backward(terms.lossScale(), terms.constraintScale(), batch.weights());
    }

    @Override
    public Map<String, INDArray> parameters() {
        return parameters;
    }

    @Override
    public Map<String, INDArray> gradients() {
        return gradients;
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
    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(mode.key());
        Nd4j.write(mlp.flatParameters(), out);
    }

    @Override
    public void read(DataInputStream in) throws IOException {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not a checkpoint of the fused MNIST engine (version " + VERSION
                    + "); was the run made with another --engine or version?");
        }
        String savedMode = in.readUTF();
        if (!savedMode.equals(mode.key())) {
            throw new IOException("a checkpoint of mode " + savedMode + ", not " + mode.key());
        }
        INDArray params = Nd4j.read(in);
        if (params.length() != mlp.flatParameters().length()) {
            throw new IOException("it holds " + params.length() + " parameters; the model has "
                    + mlp.flatParameters().length());
        }
        mlp.flatParameters().assign(params);
    }

    /** The network (for tests). */
    FusedMnistMlp network() {
        return mlp;
    }
}
