package dev.constrained4j.runners.mnist;

import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.TrainingTask;
import dev.constrained4j.runners.run.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One MNIST stage: the objective of its mode (SPEC §3) with the penalty coefficient of each epoch, Adam with
 * PyTorch's coupled L2 (gradient + wd·w on every parameter, biases included), seeded shuffling per epoch, and a
 * full evaluation of both splits after each epoch. The arithmetic is done by the configured {@link MnistEngine}:
 * the fused MLP (default) or the SameDiff graph of {@code PenaltyObjective}, which defines the objective and
 * against which the fused engine is tested.
 */
public final class MnistTask implements TrainingTask {

    private final MnistMode mode;
    private final MnistConfig settings;
    private final MnistData train;
    private final MnistData test;
    private final Map<String, INDArray> decoderInit;
    private final MnistOutputs outputs;
    private final TrainableMnistModel model;
    private IterationListener iterations = IterationListener.NONE;
    private double coefficient;
    private Evaluation lastTrain;
    private Evaluation lastTest;

    /**
     * @param initial     starting parameters of the encoder-classifier (and decoder, if the mode has one)
     * @param decoderInit decoder parameters for the portable graph when the mode trains none
     */
    public MnistTask(MnistMode mode, MnistConfig settings, MnistData train, MnistData test,
                     MnistModelConfig modelConfig, Map<String, INDArray> initial, Map<String, INDArray> decoderInit,
                     MnistOutputs outputs) {
        this.mode = mode;
        this.settings = settings;
        this.train = train;
        this.test = test;
        this.decoderInit = decoderInit;
        this.outputs = outputs;
        this.model = switch (settings.engine()) {
            case FUSED -> new FusedMnistModel(mode, settings, modelConfig, initial);
            case SAMEDIFF -> new SameDiffMnistModel(mode, settings, modelConfig, initial);
        };
    }

    /** Sets who observes every minibatch (a live monitor). */
    public void setIterationListener(IterationListener listener) {
        this.iterations = listener;
    }

    private PenaltyFunction function() {
        return mode == MnistMode.PENALTY ? settings.penaltyFunction() : mode.function();
    }

    /**
     * {@inheritDoc} The minibatch objectives go to the iteration listener only: the SameDiff engine cannot report
     * them (DL4J M2.1 never computes the loss value during {@code fit}); the epoch's objective comes from
     * {@link #evaluate}, on the whole training set, for both engines.
     */
    @Override
    public void trainEpoch(int epoch, double coefficient) {
        int[] order = EpochOrder.permutation(train.size(), settings.seed(), 1 + mode.ordinal(), epoch);
        this.coefficient = coefficient;
        model.trainEpoch(train, order, settings.batchSize(), coefficient,
                (objective, batchSize) -> iterations.onIteration(mode.key(), epoch, objective, batchSize,
                        this::portableParameters));
    }

    @Override
    public Map<String, Double> evaluate() {
        lastTrain = evaluate(train);
        lastTest = evaluate(test);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(OBJECTIVE, lastTrain.objective(function(), coefficient, settings.bound()));
        lastTrain.putInto(metrics, "train_", settings.bound());
        lastTest.putInto(metrics, "test_", settings.bound());
        return metrics;
    }

    private Evaluation evaluate(MnistData data) {
        int n = data.size();
        double[] ce = new double[n];
        double[] recon = mode.hasDecoder() ? new double[n] : null;
        int correct = model.evaluate(data, settings.evalBatchSize(), ce, recon);
        return new Evaluation(ce, recon, correct / (double) n);
    }

    @Override
    public void saveCheckpoint(Path file) {
        AtomicFiles.write(file, tmp -> model.save(tmp));
    }

    @Override
    public void loadCheckpoint(Path file) {
        try {
            model.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveBest(int epoch) {
        if (mode == MnistMode.WARM) {
            return;
        }
        outputs.saveWeights(mode.key() + "-best.zip", portableParameters());
        if (mode.hasDecoder()) {
            outputs.saveSamples(mode.key(), "train", lastTrain.recon);
            outputs.saveSamples(mode.key(), "test", lastTest.recon);
            outputs.saveReconstructions(mode.key(), test, model::reconstruct);
        }
    }

    @Override
    public void saveLast(int epoch) {
        outputs.saveWeights(mode == MnistMode.WARM ? MnistExperiment.WARM_MODEL : mode.key() + "-last.zip",
                portableParameters());
    }

    /** All parameters of the two-headed model: trained ones, plus the untrained decoder where there is none. */
    public Map<String, INDArray> portableParameters() {
        Map<String, INDArray> params = new LinkedHashMap<>(model.parameters(MnistClassifierDecoder.ENCODER_LAYERS));
        if (mode.hasDecoder()) {
            params.putAll(model.parameters(MnistClassifierDecoder.DECODER_LAYERS));
        } else {
            params.putAll(decoderInit);
        }
        return params;
    }

    /** Per-sample results of one evaluation pass. */
    private record Evaluation(double[] ce, double[] recon, double accuracy) {

        /** The objective mean_i[ℓ_i + τ·φ(c_i)] over these samples (the L2 term excluded, as PyTorch's loss). */
        double objective(PenaltyFunction function, double tau, double bound) {
            double sum = 0;
            for (int i = 0; i < ce.length; i++) {
                sum += ce[i] + (recon == null ? 0 : tau * function.apply(recon[i], bound));
            }
            return sum / ce.length;
        }

        void putInto(Map<String, Double> metrics, String prefix, double bound) {
            metrics.put(prefix + "loss", mean(ce));
            metrics.put(prefix + "acc", accuracy);
            if (recon == null) {
                metrics.put(prefix + "recon_mse", Double.NaN);
                metrics.put(prefix + "violation", Double.NaN);
                metrics.put(prefix + "satisfied", Double.NaN);
                return;
            }
            double violation = 0;
            int satisfied = 0;
            for (double c : recon) {
                violation += Math.max(0, c - bound);
                if (c <= bound) {
                    satisfied++;
                }
            }
            metrics.put(prefix + "recon_mse", mean(recon));
            metrics.put(prefix + "violation", violation / recon.length);
            metrics.put(prefix + "satisfied", satisfied / (double) recon.length);
        }

        private static double mean(double[] values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum / values.length;
        }
    }
}
