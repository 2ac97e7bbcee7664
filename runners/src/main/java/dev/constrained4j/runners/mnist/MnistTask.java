package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.constraint.ReconstructionMseConstraint;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.penalty.PenaltyObjective;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.TrainingTask;
import dev.constrained4j.runners.run.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One MNIST stage trained in SameDiff: the model's SameDiff twin, the objective of its mode with the penalty
 * coefficient as a placeholder, Adam with PyTorch's coupled L2 (gradient + wd·w on every parameter, biases
 * included), seeded shuffling per epoch, and a full evaluation of both splits after each epoch.
 */
public final class MnistTask implements TrainingTask {

    /** Name of the per-sample cross-entropy in the graph. */
    static final String TASK_LOSS = "task_loss";

    private final MnistMode mode;
    private final MnistConfig settings;
    private final MnistData train;
    private final MnistData test;
    private final MnistModelConfig modelConfig;
    private final Map<String, INDArray> decoderInit;
    private final MnistOutputs outputs;
    private SameDiff sd;
    private IterationListener iterations = IterationListener.NONE;
    private double coefficient;
    private double lastObjective = Double.NaN;
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
        this.modelConfig = modelConfig;
        this.decoderInit = decoderInit;
        this.outputs = outputs;
        this.sd = build(mode, settings, modelConfig, initial);
    }

    /** Builds the SameDiff graph of a mode: model, objective, training configuration. */
    static SameDiff build(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                          Map<String, INDArray> params) {
        SameDiff sd = MnistClassifierDecoder.sameDiff(modelConfig, params, mode.hasDecoder(), DataType.FLOAT);
        SDVariable ce = PenaltyObjective.softmaxCrossEntropy(sd, sd.getVariable(MnistClassifierDecoder.LOGITS),
                sd.getVariable(MnistClassifierDecoder.LABELS)).rename(TASK_LOSS);
        PenaltyFunction function = function(mode, settings);
        if (mode.hasDecoder()) {
            PenaltyObjective.define(sd, ce, function, new ReconstructionMseConstraint(settings.bound()),
                    sd.getVariable(MnistClassifierDecoder.RECONSTRUCTION), sd.getVariable(MnistClassifierDecoder.INPUT));
        } else {
            PenaltyObjective.define(sd, ce, PenaltyFunction.NONE, null, null, null);
        }
        TrainingConfig.Builder training = new TrainingConfig.Builder()
                .updater(new Adam(settings.learningRate(), 0.9, 0.999, 1e-8))
                .dataSetLabelMapping(MnistClassifierDecoder.LABELS);
        if (mode.hasDecoder()) {
            training.dataSetFeatureMapping(MnistClassifierDecoder.INPUT, PenaltyObjective.COEFFICIENT);
        } else {
            training.dataSetFeatureMapping(MnistClassifierDecoder.INPUT);
        }
        if (mode != MnistMode.WARM && settings.weightDecay() > 0) {
            // PyTorch Adam(weight_decay): wd·w added to the gradient before the moments (coupled L2)
            training.l2(settings.weightDecay());
        }
        sd.setTrainingConfig(training.build());
        return sd;
    }

    /** Sets who observes every minibatch (a live monitor). */
    public void setIterationListener(IterationListener listener) {
        this.iterations = listener;
    }

    private static PenaltyFunction function(MnistMode mode, MnistConfig settings) {
        return mode == MnistMode.PENALTY ? settings.penaltyFunction() : mode.function();
    }

    private PenaltyFunction function() {
        return function(mode, settings);
    }

    @Override
    public void trainEpoch(int epoch, double coefficient) {
        int[] order = EpochOrder.permutation(train.size(), settings.seed(), 1 + mode.ordinal(), epoch);
        this.coefficient = coefficient;
        sd.fit(new Batches(order, coefficient), 1, new IterationHook(epoch));
    }

    @Override
    public Map<String, Double> evaluate() {
        lastTrain = evaluate(train);
        lastTest = evaluate(test);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(OBJECTIVE, lastTrain.objective(function(), coefficient, settings.bound()));
        lastObjective = metrics.get(OBJECTIVE);
        lastTrain.putInto(metrics, "train_", settings.bound());
        lastTest.putInto(metrics, "test_", settings.bound());
        return metrics;
    }

    private Evaluation evaluate(MnistData data) {
        int n = data.size();
        int batch = settings.evalBatchSize();
        double[] ce = new double[n];
        double[] recon = mode.hasDecoder() ? new double[n] : null;
        int correct = 0;
        INDArray coefficient = Nd4j.scalar(DataType.FLOAT, 0f).reshape(1, 1);
        List<String> wanted = new ArrayList<>(List.of(TASK_LOSS, MnistClassifierDecoder.LOGITS));
        if (mode.hasDecoder()) {
            wanted.add(PenaltyObjective.CONSTRAINT_VALUES);
        }
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            Map<String, INDArray> feed = new HashMap<>();
            feed.put(MnistClassifierDecoder.INPUT, data.features().get(interval(start, end)));
            feed.put(MnistClassifierDecoder.LABELS, data.labels().get(interval(start, end)));
            if (mode.hasDecoder()) {
                feed.put(PenaltyObjective.COEFFICIENT, coefficient);
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
        return new Evaluation(ce, recon, correct / (double) n);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex interval(int start, int end) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end);
    }

    @Override
    public void saveCheckpoint(Path file) {
        AtomicFiles.write(file, tmp -> sd.save(tmp.toFile(), true));
    }

    @Override
    public void loadCheckpoint(Path file) {
        SameDiff loaded = SameDiff.load(file.toFile(), true);
        if (loaded.getTrainingConfig() == null) {
            throw new IllegalStateException("checkpoint " + file + " has no training state; it cannot be resumed");
        }
        this.sd = loaded;
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
            outputs.saveReconstructions(mode.key(), test, sd);
        }
    }

    @Override
    public void saveLast(int epoch) {
        outputs.saveWeights(mode == MnistMode.WARM ? MnistExperiment.WARM_MODEL : mode.key() + "-last.zip",
                portableParameters());
    }

    /** All parameters of the two-headed model: trained ones, plus the untrained decoder where there is none. */
    public Map<String, INDArray> portableParameters() {
        Map<String, INDArray> params = new LinkedHashMap<>(
                MnistClassifierDecoder.parameters(sd, MnistClassifierDecoder.ENCODER_LAYERS));
        if (mode.hasDecoder()) {
            params.putAll(MnistClassifierDecoder.parameters(sd, MnistClassifierDecoder.DECODER_LAYERS));
        } else {
            params.putAll(decoderInit);
        }
        return params;
    }

    /** The SameDiff graph being trained (for monitors). */
    public SameDiff sameDiff() {
        return sd;
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

    /**
     * Tells the iteration listener about every minibatch. SameDiff does not compute the objective's value
     * during training (its gradient does not need it), so the score given is the last epoch's objective.
     */
    private final class IterationHook extends BaseListener {
        private final int epoch;

        IterationHook(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            iterations.onIteration(mode.key(), epoch, lastObjective, (int) dataSet.getFeatures(0).size(0),
                    () -> portableParameters());
        }
    }

    /** Minibatches of one epoch in a fixed order, with the coefficient fed as an extra feature. */
    private final class Batches implements MultiDataSetIterator {
        private final int[] order;
        private final INDArray coefficient;
        private int position;

        Batches(int[] order, double coefficient) {
            this.order = order;
            this.coefficient = Nd4j.scalar(DataType.FLOAT, (float) coefficient).reshape(1, 1);
        }

        @Override
        public boolean hasNext() {
            return position < order.length;
        }

        @Override
        public MultiDataSet next() {
            return next(settings.batchSize());
        }

        @Override
        public MultiDataSet next(int num) {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int end = Math.min(order.length, position + num);
            int[] rows = java.util.Arrays.copyOfRange(order, position, end);
            position = end;
            INDArray x = train.features().getRows(rows);
            INDArray y = train.labels().getRows(rows);
            INDArray[] features = mode.hasDecoder() ? new INDArray[]{x, coefficient} : new INDArray[]{x};
            return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[]{y});
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("no pre-processing: pixels are already in [0, 1]");
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            position = 0;
        }
    }

}
