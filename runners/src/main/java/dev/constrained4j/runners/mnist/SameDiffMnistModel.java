package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.constraint.ReconstructionMseConstraint;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.penalty.PenaltyObjective;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The {@link MnistEngine#SAMEDIFF} engine: the model's SameDiff twin with the objective of its mode defined by
 * {@link PenaltyObjective} (the coefficient a placeholder), DL4J's Adam with coupled L2 ({@code l2}: gradient +
 * wd·w on every parameter, biases included), trained with {@code sd.fit}. The checkpoint is the SameDiff file
 * with its updater state.
 */
final class SameDiffMnistModel implements TrainableMnistModel {

    /** Name of the per-sample cross-entropy in the graph. */
    static final String TASK_LOSS = "task_loss";

    private final MnistMode mode;
    private SameDiff sd;

    SameDiffMnistModel(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                       Map<String, INDArray> initial) {
        this.mode = mode;
        this.sd = build(mode, settings, modelConfig, initial, DataType.FLOAT);
    }

    /** Builds the SameDiff graph of a mode: model, objective, training configuration. */
    static SameDiff build(MnistMode mode, MnistConfig settings, MnistModelConfig modelConfig,
                          Map<String, INDArray> params, DataType type) {
        SameDiff sd = MnistClassifierDecoder.sameDiff(modelConfig, params, mode.hasDecoder(), type);
        SDVariable ce = PenaltyObjective.softmaxCrossEntropy(sd, sd.getVariable(MnistClassifierDecoder.LOGITS),
                sd.getVariable(MnistClassifierDecoder.LABELS)).rename(TASK_LOSS);
        PenaltyFunction function = mode == MnistMode.PENALTY ? settings.penaltyFunction() : mode.function();
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

    @Override
    public double trainEpoch(MnistData train, int[] order, int batchSize, double coefficient, StepObserver observer) {
        ObjectiveMean mean = new ObjectiveMean(observer);
        sd.fit(new Batches(train, order, batchSize, coefficient), 1, mean);
        return mean.value();
    }

    @Override
    public int evaluate(MnistData data, int batch, double[] ce, double[] recon) {
        int n = data.size();
        int correct = 0;
        INDArray coefficient = Nd4j.scalar(DataType.FLOAT, 0f).reshape(1, 1);
        List<String> wanted = new ArrayList<>(List.of(TASK_LOSS, MnistClassifierDecoder.LOGITS));
        if (mode.hasDecoder()) {
            wanted.add(PenaltyObjective.CONSTRAINT_VALUES);
        }
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            Map<String, INDArray> feed = new HashMap<>();
            feed.put(MnistClassifierDecoder.INPUT, data.features().get(NDArrayIndex.interval(start, end)));
            feed.put(MnistClassifierDecoder.LABELS, data.labels().get(NDArrayIndex.interval(start, end)));
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
        return correct;
    }

    @Override
    public Map<String, INDArray> parameters(List<String> layers) {
        return MnistClassifierDecoder.parameters(sd, layers);
    }

    @Override
    public INDArray reconstruct(INDArray features) {
        return sd.outputSingle(Map.of(MnistClassifierDecoder.INPUT, features), MnistClassifierDecoder.RECONSTRUCTION);
    }

    @Override
    public void save(Path file) {
        sd.save(file.toFile(), true);
    }

    @Override
    public void load(Path file) {
        SameDiff loaded = SameDiff.load(file.toFile(), true);
        if (loaded.getTrainingConfig() == null) {
            throw new IllegalStateException("checkpoint " + file + " has no training state; it cannot be resumed");
        }
        this.sd = loaded;
    }

    /** Mean of the objective over an epoch's iterations, from SameDiff's training callbacks. */
    private static final class ObjectiveMean extends BaseListener {
        private final StepObserver observer;
        private double sum;
        private int count;

        ObjectiveMean(StepObserver observer) {
            this.observer = observer;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            sum += loss.totalLoss();
            count++;
            observer.onStep(loss.totalLoss(), (int) dataSet.getFeatures(0).size(0));
        }

        double value() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /** Minibatches of one epoch in a fixed order, with the coefficient fed as an extra feature. */
    private final class Batches implements MultiDataSetIterator {
        private final MnistData train;
        private final int[] order;
        private final int batchSize;
        private final INDArray coefficient;
        private int position;

        Batches(MnistData train, int[] order, int batchSize, double coefficient) {
            this.train = train;
            this.order = order;
            this.batchSize = batchSize;
            this.coefficient = Nd4j.scalar(DataType.FLOAT, (float) coefficient).reshape(1, 1);
        }

        @Override
        public boolean hasNext() {
            return position < order.length;
        }

        @Override
        public MultiDataSet next() {
            return next(batchSize);
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
