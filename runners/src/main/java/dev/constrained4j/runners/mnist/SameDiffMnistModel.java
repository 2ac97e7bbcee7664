package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.constraint.ReconstructionMseConstraint;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.penalty.PenaltyObjective;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link MnistEngine#SAMEDIFF} engine: the model's SameDiff twin with the objective of
 * {@link PenaltyObjective} (the method's coefficient and per-sample weights as placeholders). The forward pass is
 * the graph's output of the per-sample cross-entropy and reconstruction MSE, the backward pass its
 * {@code calculateGradients} with the method's placeholders; the task's optimiser steps the graph's variables in
 * place. Its checkpoint part is the named parameter arrays.
 */
final class SameDiffMnistModel implements TrainableMnistModel {

    /** Name of the per-sample cross-entropy in the graph. */
    static final String TASK_LOSS = "task_loss";
    private static final String MAGIC = "constrained4j-samediff-mnist";
    private static final int VERSION = 2;

    private final MnistMode mode;
    private final SameDiff sd;
    private final DataType type;
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();
    private final List<String> trained;
    private Map<String, INDArray> gradients = Map.of();
    private Map<String, INDArray> lastFeed;

    SameDiffMnistModel(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                       Map<String, INDArray> initial) {
        this(mode, settings, modelConfig, initial, DataType.FLOAT);
    }

    SameDiffMnistModel(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                       Map<String, INDArray> initial, DataType type) {
        this.mode = mode;
        this.type = type;
        this.sd = build(mode, settings, modelConfig, initial, type);
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        if (mode.hasDecoder()) {
            layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        }
        for (String layer : layers) {
            for (String suffix : new String[]{"_W", "_b"}) {
                parameters.put(layer + suffix, sd.getVariable(layer + suffix).getArr());
            }
        }
        this.trained = List.copyOf(parameters.keySet());
    }

    /** Builds the SameDiff graph of a mode: model and objective. */
    static SameDiff build(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                          Map<String, INDArray> params, DataType type) {
        SameDiff sd = MnistClassifierDecoder.sameDiff(modelConfig, params, mode.hasDecoder(), type);
        var ce = PenaltyObjective.softmaxCrossEntropy(sd, sd.getVariable(MnistClassifierDecoder.LOGITS),
                sd.getVariable(MnistClassifierDecoder.LABELS)).rename(TASK_LOSS);
        if (mode.hasDecoder()) {
            PenaltyObjective.define(sd, ce, new ReconstructionMseConstraint(settings.bound()),
                    sd.getVariable(MnistClassifierDecoder.RECONSTRUCTION), sd.getVariable(MnistClassifierDecoder.INPUT));
        } else {
            PenaltyObjective.define(sd, ce, null, null, null);
        }
        return sd;
    }

    @Override
    public void forward(MnistData data, SampleBatch batch, boolean needConstraints) {
        int n = batch.size();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = (int) batch.indices()[i];
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(MnistClassifierDecoder.INPUT, data.features().getRows(rows).castTo(type));
        feed.put(MnistClassifierDecoder.LABELS, data.labels().getRows(rows).castTo(type));
        List<String> wanted = new ArrayList<>(List.of(TASK_LOSS));
        if (mode.hasDecoder()) {
            PenaltyObjective.feedNone(feed, n, type);
            wanted.add(PenaltyObjective.CONSTRAINT_VALUES);
        }
        Map<String, INDArray> out = sd.output(feed, wanted);
        double[] ce = out.get(TASK_LOSS).castTo(DataType.DOUBLE).data().asDouble();
        System.arraycopy(ce, 0, batch.losses(), 0, n);
        if (mode.hasDecoder()) {
            double[] c = out.get(PenaltyObjective.CONSTRAINT_VALUES).castTo(DataType.DOUBLE).data().asDouble();
            System.arraycopy(c, 0, batch.constraints(), 0, n);
        } else {
            java.util.Arrays.fill(batch.constraints(), 0, n, 0.0);
        }
        lastFeed = feed;
    }

    @Override
    public void backward(SampleBatch batch, BatchTerms terms) {
        Map<String, INDArray> feed = new HashMap<>(lastFeed);
        if (mode.hasDecoder()) {
            PenaltyObjective.feed(feed, terms, batch, type);
        } else if (terms.constraintActive()) {
            throw new IllegalArgumentException("a constraint gradient needs the decoder; mode " + mode.key()
                    + " has none");
        } else if (terms.lossScale() != 1.0) {
            throw new IllegalArgumentException("the SameDiff objective has loss scale 1, the method asks for "
                    + terms.lossScale());
        }
        gradients = sd.calculateGradients(feed, trained);
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
    public int evaluate(MnistData data, int batch, double[] ce, double[] recon) {
        int n = data.size();
        int correct = 0;
        List<String> wanted = new ArrayList<>(List.of(TASK_LOSS, MnistClassifierDecoder.LOGITS));
        if (mode.hasDecoder()) {
            wanted.add(PenaltyObjective.CONSTRAINT_VALUES);
        }
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            Map<String, INDArray> feed = new HashMap<>();
            feed.put(MnistClassifierDecoder.INPUT, data.features().get(NDArrayIndex.interval(start, end)).castTo(type));
            feed.put(MnistClassifierDecoder.LABELS, data.labels().get(NDArrayIndex.interval(start, end)).castTo(type));
            if (mode.hasDecoder()) {
                PenaltyObjective.feedNone(feed, end - start, type);
            }
            Map<String, INDArray> out = sd.output(feed, wanted);
            double[] batchCe = out.get(TASK_LOSS).castTo(DataType.DOUBLE).data().asDouble();
            System.arraycopy(batchCe, 0, ce, start, end - start);
            int[] predicted = out.get(MnistClassifierDecoder.LOGITS).argMax(1).toIntVector();
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == data.classes()[start + i]) {
                    correct++;
                }
            }
            if (recon != null) {
                double[] c = out.get(PenaltyObjective.CONSTRAINT_VALUES).castTo(DataType.DOUBLE).data().asDouble();
                System.arraycopy(c, 0, recon, start, end - start);
            }
        }
        return correct;
    }

    @Override
    public Map<String, INDArray> parameters(List<String> layers) {
        return MnistClassifierDecoder.parameters(sd, layers);
    }

    @Override
    public INDArray reconstruct(INDArray features) {
        return sd.outputSingle(Map.of(MnistClassifierDecoder.INPUT, features.castTo(type)),
                MnistClassifierDecoder.RECONSTRUCTION);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(mode.key());
        out.writeInt(parameters.size());
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), out);
        }
    }

    @Override
    public void read(DataInputStream in) throws IOException {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not a checkpoint of the SameDiff MNIST engine (version " + VERSION
                    + "); was the run made with another --engine or version?");
        }
        String savedMode = in.readUTF();
        if (!savedMode.equals(mode.key())) {
            throw new IOException("a checkpoint of mode " + savedMode + ", not " + mode.key());
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            INDArray value = Nd4j.read(in);
            INDArray target = parameters.get(name);
            if (target == null || target.length() != value.length()) {
                throw new IOException("its parameter '" + name + "' does not fit the " + mode.key() + " model");
            }
            target.assign(value.reshape(target.shape()));
        }
    }
}
