package dev.constrained4j.runners.hidden;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.images.ImageSet;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.TrainingTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * One HiDDeN model (one mode: the baseline or one PSNR bound) as a stage of the {@link
 * dev.constrained4j.runners.engine.ConstrainedTrainer}: an epoch is one pass of {@link HiddenSystem#trainOnBatch}
 * over the training images in a seeded order, with fresh seeded message bits per batch and τ fixed for the epoch.
 *
 * <p>Metrics per epoch: {@code train_*} are means over the epoch's training batches, as the reference logs them
 * (batch norm in training mode, weights changing during the epoch); {@code val_*} come from a full pass over the
 * validation images with batch norm in evaluation mode and fixed per-image messages. The constraint metrics
 * ({@code satisfied}, {@code violation}) are NaN for the baseline, which has no bound.
 */
public final class HiddenTask implements TrainingTask {

    /** Stream of the data order (the same for every mode, so the modes see the images in the same order). */
    static final long DATA_STREAM = 21;

    private final String mode;
    private final double bound;
    private final HiddenRunConfig config;
    private final HiddenData data;
    private final HiddenOutputs outputs;
    private final Path bestFile;
    private final Path lastFile;
    private HiddenSystem system;
    private IterationListener iterations = IterationListener.NONE;
    private int currentEpoch = -1;
    private Map<String, Double> trainMetrics = Map.of();

    /**
     * @param initSeed  the seed of the initial weights and of the noise choice (the same for every mode)
     * @param bestFile  where the best epoch's system is saved
     * @param lastFile  where the last epoch's system is saved
     */
    public HiddenTask(String mode, HiddenRunConfig config, HiddenData data, HiddenOutputs outputs, long initSeed,
                      Path bestFile, Path lastFile) {
        this.mode = mode;
        this.bound = config.boundOf(mode);
        this.config = config;
        this.data = data;
        this.outputs = outputs;
        this.bestFile = bestFile;
        this.lastFile = lastFile;
        this.system = Double.isNaN(bound) ? HiddenSystem.baseline(config.model(), config.noise(), initSeed)
                : HiddenSystem.constrained(config.model(), bound, config.noise(), initSeed);
        system.useEngine(config.engine());
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
    public void trainEpoch(int epoch, double coefficient) {
        currentEpoch = epoch;
        ImageSet train = data.train();
        int n = train.size();
        int[] order = EpochOrder.permutation(n, config.seed(), DATA_STREAM, epoch);
        int[] bounds = HiddenMessages.boundaries(n, config.batchSize());
        double[] sums = new double[9];
        double objective = 0;
        int batches = bounds.length - 1;
        for (int b = 0; b < batches; b++) {
            int[] rows = Arrays.copyOfRange(order, bounds[b], bounds[b + 1]);
            INDArray cover = train.features().get(new SpecifiedIndex(rows), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            INDArray message = HiddenMessages.training(config.seed(), epoch, b, rows.length, config.messageBits());
            Map<String, Double> m = system.trainOnBatch(cover, message, coefficient);
            double loss = m.get("total_loss");
            objective += loss;
            int k = rows.length;
            sums[0] += k * loss;
            sums[1] += k * m.get("bitwise_error");
            sums[2] += k * m.get("dec_mse");
            sums[3] += k * m.get("encoder_mse");
            sums[4] += k * m.get("avg_psnr");
            sums[5] += k * m.getOrDefault("satisfied", Double.NaN);
            sums[6] += k * m.getOrDefault("psnr_violation", Double.NaN);
            sums[7] += k * m.get("adversarial_bce");
            sums[8] += k * (m.get("discr_cover_bce") + m.get("discr_encod_bce"));
            iterations.onIteration(mode, epoch, loss, k, () -> system.exportGraphs().encoder().paramTable());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", sums[0] / n);
        metrics.put("train_ber", sums[1] / n);
        metrics.put("train_dec_mse", sums[2] / n);
        metrics.put("train_enc_mse", sums[3] / n);
        metrics.put("train_psnr", sums[4] / n);
        metrics.put("train_satisfied", sums[5] / n);
        metrics.put("train_violation", sums[6] / n);
        metrics.put("train_g_adv", sums[7] / n);
        metrics.put("train_d_loss", sums[8] / n);
        // the generator objective averaged over the epoch's batches, as the reference logs its losses
        metrics.put(OBJECTIVE, objective / batches);
        trainMetrics = metrics;
    }

    @Override
    public Map<String, Double> evaluate() {
        HiddenEvaluation val = HiddenEvaluation.of(system, data.validation(), config.seed(),
                HiddenMessages.VALIDATION_STREAM, config.batchSize(), 0.0, false);
        Map<String, Double> metrics = new LinkedHashMap<>(trainMetrics);
        val.putInto(metrics, "val_", bound);
        if (currentEpoch >= 0) {
            outputs.epochGrid(mode, currentEpoch, data.validation().features(), val.encoded());
        }
        return metrics;
    }

    @Override
    public void saveCheckpoint(Path file) {
        save(system, file);
    }

    @Override
    public void loadCheckpoint(Path file) {
        try {
            system = HiddenSystem.load(file).useEngine(config.engine());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
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
        try {
            system.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
