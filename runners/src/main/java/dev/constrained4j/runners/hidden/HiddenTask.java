package dev.constrained4j.runners.hidden;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.images.ImageSet;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.models.hidden.HiddenSampleModel;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.MinibatchLoop;
import dev.constrained4j.runners.engine.TrainingTask;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * One HiDDeN model (one mode: the baseline or one PSNR bound) as a stage of the {@link
 * dev.constrained4j.runners.engine.ConstrainedTrainer}: an epoch is one {@link MinibatchLoop} pass over the
 * training images in a seeded order, with fresh seeded message bits per batch; the mode's method
 * ({@link HiddenRunConfig#method}) turns each image's objective term and constraint value into the step.
 *
 * <p>Metrics per epoch: {@code train_*} are means over the epoch's training images, as the reference logs them
 * (batch norm in training mode, weights changing during the epoch); {@code val_*} come from a full pass over the
 * validation images with batch norm in evaluation mode and fixed per-image messages, after the running statistics are
 * recomputed over the training images when {@link HiddenRunConfig#preciseBatchNorm()} is set. The constraint metrics
 * ({@code satisfied}, {@code violation}) are NaN for the baseline, which has no bound.
 */
public final class HiddenTask implements TrainingTask {

    /** Stream of the data order (the same for every mode, so the modes see the images in the same order). */
    static final long DATA_STREAM = 21;

    /** {@code train_<metric>} from the step metrics of {@link HiddenSystem#trainBackward}, summed per key. */
    private static final Map<String, List<String>> TRAIN_METRICS = trainMetrics();

    private final String mode;
    private final double bound;
    private final HiddenRunConfig config;
    private final HiddenData data;
    private final HiddenOutputs outputs;
    private final Path bestFile;
    private final Path lastFile;
    private final ConstrainedMethod method;
    private HiddenSystem system;
    private IterationListener iterations = IterationListener.NONE;
    private int currentEpoch = -1;
    private Map<String, Double> trainMetrics = Map.of();

    /**
     * @param initSeed  the seed of the initial weights and of the noise choice (the same for every mode)
     * @param bestFile  where the best epoch's system is saved
     * @param lastFile  where the last epoch's system is saved
     * @param method    the mode's method (its multipliers, if any, one per training image)
     */
    public HiddenTask(String mode, HiddenRunConfig config, HiddenData data, HiddenOutputs outputs, long initSeed,
                      Path bestFile, Path lastFile, ConstrainedMethod method) {
        this.mode = mode;
        this.bound = config.boundOf(mode);
        this.config = config;
        this.data = data;
        this.outputs = outputs;
        this.bestFile = bestFile;
        this.lastFile = lastFile;
        this.method = method;
        this.system = Double.isNaN(bound) ? HiddenSystem.baseline(config.model(), config.noise(), initSeed)
                : HiddenSystem.constrained(config.model(), bound, config.noise(), initSeed);
        system.useEngine(config.engine());
    }

    private static Map<String, List<String>> trainMetrics() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("train_loss", List.of("total_loss"));
        m.put("train_ber", List.of("bitwise_error"));
        m.put("train_dec_mse", List.of("dec_mse"));
        m.put("train_enc_mse", List.of("encoder_mse"));
        m.put("train_psnr", List.of("avg_psnr"));
        m.put("train_satisfied", List.of("satisfied"));
        m.put("train_violation", List.of("psnr_violation"));
        m.put("train_g_adv", List.of("adversarial_bce"));
        m.put("train_d_loss", List.of("discr_cover_bce", "discr_encod_bce"));
        return m;
    }

    /** Sets who observes every minibatch (a live monitor). */
    public void setIterationListener(IterationListener listener) {
        this.iterations = listener;
    }

    /** The system being trained. */
    public HiddenSystem system() {
        return system;
    }

    @Override
    public ConstrainedMethod method() {
        return method;
    }

    @Override
    public void trainEpoch(int epoch) {
        currentEpoch = epoch;
        system.scaleLearningRate(config.learningRateScale(epoch));
        ImageSet train = data.train();
        int n = train.size();
        int[] order = EpochOrder.permutation(n, config.seed(), DATA_STREAM, epoch);
        Map<String, Double> sums = new LinkedHashMap<>();
        TRAIN_METRICS.keySet().forEach(k -> sums.put(k, 0.0));
        int[] batchIndex = {0};
        HiddenSampleModel<ImageSet> model = new HiddenSampleModel<>(() -> system, (images, batch) -> {
            long[] rows = Arrays.copyOf(batch.indices(), batch.size());
            INDArray cover = images.features().get(new SpecifiedIndex(rows), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            return new HiddenSampleModel.Images(cover,
                    HiddenMessages.training(config.seed(), epoch, batchIndex[0]++, rows.length, config.messageBits()));
        }, (m, k) -> TRAIN_METRICS.forEach((key, parts) -> {
            // the epoch's means over images: every step's metric weighted by its batch size
            double v = 0;
            for (String part : parts) {
                v += m.getOrDefault(part, Double.NaN);
            }
            sums.merge(key, k * v, Double::sum);
        }));
        MinibatchLoop<ImageSet> loop = new MinibatchLoop<>(model, method, system.generatorOptimizer(), train);
        double objective = loop.runEpoch(epoch, order, HiddenMessages.boundaries(n, config.batchSize()),
                (e, value, batchSize) -> iterations.onIteration(mode, e, value, batchSize,
                        () -> system.exportGraphs().encoder().paramTable()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        sums.forEach((key, sum) -> metrics.put(key, sum / n));
        // the generator objective averaged over the epoch's batches, as the reference logs its losses
        metrics.put(OBJECTIVE, objective);
        trainMetrics = metrics;
    }

    @Override
    public Map<String, Double> evaluate() {
        if (config.preciseBatchNorm()) {
            recomputeRunningStatistics();
        }
        HiddenEvaluation val = HiddenEvaluation.of(system, data.validation(), config.seed(),
                HiddenMessages.VALIDATION_STREAM, config.batchSize(), false);
        Map<String, Double> metrics = new LinkedHashMap<>(trainMetrics);
        val.putInto(metrics, "val_", bound);
        if (currentEpoch >= 0) {
            outputs.epochGrid(mode, currentEpoch, data.validation().features(), val.encoded());
        }
        return metrics;
    }

    /**
     * Precise batch norm before an evaluation: the training images in their stored order, in the training batches'
     * size, each with its fixed message bits ({@link HiddenMessages#CALIBRATION_STREAM}).
     */
    private void recomputeRunningStatistics() {
        ImageSet train = data.train();
        int[] bounds = HiddenMessages.boundaries(train.size(), config.batchSize());
        List<HiddenSampleModel.Images> batches = new ArrayList<>();
        for (int b = 0; b + 1 < bounds.length; b++) {
            INDArray cover = train.features().get(NDArrayIndex.interval(bounds[b], bounds[b + 1]), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all());
            batches.add(new HiddenSampleModel.Images(cover, HiddenMessages.fixed(config.seed(),
                    HiddenMessages.CALIBRATION_STREAM, bounds[b], bounds[b + 1] - bounds[b], config.messageBits())));
        }
        system.recomputeRunningStatistics(batches);
    }

    @Override
    public void writeCheckpoint(DataOutputStream out) throws IOException {
        system.write(out);
    }

    @Override
    public void readCheckpoint(DataInputStream in) throws IOException {
        system = HiddenSystem.read(in).useEngine(config.engine());
    }

    @Override
    public void saveBest(int epoch) {
        save(system, bestFile);
    }

    @Override
    public void saveLast(int epoch) {
        save(system, lastFile);
    }

    private static void save(HiddenSystem system, Path file) {
        AtomicFiles.write(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                system.write(out);
            }
        });
    }
}
