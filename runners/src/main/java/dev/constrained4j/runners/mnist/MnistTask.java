package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.AugmentedLagrangian;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.MinibatchLoop;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One MNIST stage: the model of its {@link MnistEngine}, the constrained method of its mode
 * ({@link MnistConfig#method}), Adam with PyTorch's coupled L2 (gradient + wd·w on every parameter, biases
 * included; none in the warm-up), seeded shuffling per epoch, all driven by the {@link MinibatchLoop}; and a full
 * evaluation of both splits after each epoch.
 */
public final class MnistTask implements MnistStages.StageTask {

    private final MnistMode mode;
    private final MnistConfig settings;
    private final MnistData train;
    private final MnistData test;
    private final Map<String, INDArray> decoderInit;
    private final MnistOutputs outputs;
    private final TrainableMnistModel model;
    private final ConstrainedMethod method;
    private final AdamOptimizer optimizer;
    private final MinibatchLoop<MnistData> loop;
    private IterationListener iterations = IterationListener.NONE;
    private Evaluation lastTrain;
    private Evaluation lastTest;

    /**
     * @param initial     starting parameters of the encoder-classifier (and decoder, if the mode has one)
     * @param decoderInit decoder parameters for the portable graph when the mode trains none
     * @param method      the method of this mode (its multipliers, if any, one per image of {@code train})
     */
    public MnistTask(MnistMode mode, MnistConfig settings, MnistData train, MnistData test,
                     MnistModelConfig modelConfig, Map<String, INDArray> initial, Map<String, INDArray> decoderInit,
                     MnistOutputs outputs, ConstrainedMethod method) {
        this.mode = mode;
        this.settings = settings;
        this.train = train;
        this.test = test;
        this.decoderInit = decoderInit;
        this.outputs = outputs;
        this.method = method;
        this.model = switch (settings.engine()) {
            case FUSED -> new FusedMnistModel(mode, modelConfig, initial);
            case SAMEDIFF -> new SameDiffMnistModel(mode, settings, modelConfig, initial);
        };
        this.optimizer = optimizer(mode, settings);
        this.loop = new MinibatchLoop<>(model, method, optimizer, train);
    }

    /** The stage's Adam: PyTorch's, with the coupled L2 of the refinement ({@code weightDecay}; none in the warm-up). */
    public static AdamOptimizer optimizer(MnistMode mode, MnistConfig settings) {
        double wd = mode == MnistMode.WARM ? 0 : settings.weightDecay();
        return new AdamOptimizer(settings.learningRate(), AdamOptimizer.BETA1, AdamOptimizer.BETA2,
                AdamOptimizer.EPSILON, wd);
    }

    /**
     * The order in which {@code epoch} of a mode visits {@code size} training images: a seeded permutation, a pure
     * function of the seed, the mode and the epoch (so resumed runs repeat uninterrupted ones).
     */
    public static int[] epochOrder(MnistMode mode, long seed, int size, int epoch) {
        return EpochOrder.permutation(size, seed, 1 + mode.ordinal(), epoch);
    }

    /** Sets who observes every minibatch (a live monitor). */
    @Override
    public void setIterationListener(IterationListener listener) {
        this.iterations = listener;
    }

    @Override
    public ConstrainedMethod method() {
        return method;
    }

    /**
     * {@inheritDoc} The minibatch objectives go to the iteration listener only; the epoch's objective comes from
     * {@link #evaluate}, on the whole training set.
     */
    @Override
    public void trainEpoch(int epoch) {
        int[] order = epochOrder(mode, settings.seed(), train.size(), epoch);
        loop.runEpoch(epoch, order, settings.batchSize(),
                (e, objective, batchSize) -> iterations.onIteration(mode.key(), e, objective, batchSize,
                        this::portableParameters));
    }

    @Override
    public Map<String, Double> evaluate() {
        lastTrain = evaluate(train);
        lastTest = evaluate(test);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(OBJECTIVE, lastTrain.objective(method));
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
    public void writeCheckpoint(DataOutputStream out) throws IOException {
        model.write(out);
        optimizer.write(out);
    }

    @Override
    public void readCheckpoint(DataInputStream in) throws IOException {
        model.read(in);
        optimizer.read(in);
    }

    @Override
    public void saveBest(int epoch) {
        if (mode == MnistMode.WARM) {
            return;
        }
        outputs.saveWeights(MnistOutputs.bestWeights(mode), portableParameters());
        if (mode.hasDecoder()) {
            double[] multipliers = method instanceof AugmentedLagrangian alm ? multipliers(alm) : null;
            outputs.saveSamples(mode.key(), "train", lastTrain.recon, multipliers);
            outputs.saveSamples(mode.key(), "test", lastTest.recon, null);
            outputs.saveReconstructions(mode.key(), test, firstImages(test.size()), "reconstructions",
                    model::reconstruct);
            if (multipliers != null) {
                outputs.saveReconstructions(mode.key(), train, largest(multipliers), "largest-multipliers",
                        model::reconstruct);
            }
        }
    }

    private static double[] multipliers(AugmentedLagrangian alm) {
        double[] values = new double[(int) alm.multipliers().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = alm.multipliers().get(i);
        }
        return values;
    }

    private static int[] firstImages(int available) {
        int n = Math.min(MnistOutputs.DIGITS, available);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** Indices of the images with the largest values, largest first (ties: smaller index first). */
    public static int[] largest(double[] values) {
        return java.util.stream.IntStream.range(0, values.length).boxed()
                .sorted((a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a]) : Integer.compare(a, b))
                .limit(MnistOutputs.DIGITS).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void saveLast(int epoch) {
        outputs.saveWeights(MnistOutputs.lastWeights(mode), portableParameters());
    }

    /** All parameters of the two-headed model: trained ones, plus the untrained decoder where there is none. */
    @Override
    public Map<String, INDArray> portableParameters() {
        return MnistOutputs.portableParameters(model::parameters, mode, decoderInit);
    }

    /** Releases the method's multipliers (a mapped file's mapping); the task is not used afterwards. */
    @Override
    public void close() {
        if (method.state().multipliers() != null) {
            method.state().multipliers().close();
        }
    }

    /** Per-sample results of one evaluation pass. */
    private record Evaluation(double[] ce, double[] recon, double accuracy) {

        /**
         * The objective mean_i[ℓ_i + Ψ_i(c_i)] over the training samples, with the method's state after the epoch
         * (the L2 term excluded, as PyTorch's loss).
         */
        double objective(ConstrainedMethod method) {
            double sum = 0;
            for (int i = 0; i < ce.length; i++) {
                sum += method.sampleObjective(i, ce[i], recon == null ? 0 : recon[i]);
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
