package dev.constrained4j.runners.engine;

import dev.constrained4j.losses.method.StatefulMethod;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.reports.run.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop shared by every experiment: for each epoch of a {@link Stage}, one epoch of the task's
 * {@link MinibatchLoop}, a full evaluation, the method's statistics, the divergence check, best-weights selection,
 * a checkpoint (the method's state, then the task's model and optimiser), the listeners, and finally the atomic
 * commit that makes the epoch resumable; then, when the heap's old generation has grown enough, one full collection
 * that releases the native memory of the arrays that died there ({@link OldGenerationRelease}).
 *
 * <p>Resuming: a stage whose {@link ProgressStore} says {@code k} epochs were committed reloads the checkpoint
 * of epoch {@code k-1} (method state included: multipliers, coefficients) and continues at epoch {@code k}; since
 * the data order is a function of the epoch, the remaining epochs are those of an uninterrupted run.
 *
 * <p>Checkpoints are written with their SHA-256 beside them and verified before they are read. Which checkpoint a
 * stage resumes from is the store's to say: a store whose latest checkpoint is corrupt falls back to the previous
 * one ({@link ProgressStore#progress}), and the epochs after it are trained again, as in an uninterrupted run.
 */
public final class ConstrainedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ConstrainedTrainer.class);

    private final ProgressStore store;
    private final List<EpochListener> listeners;
    private final DivergenceCheck divergence;
    private final OldGenerationRelease release = OldGenerationRelease.ofThisJvm();

    public ConstrainedTrainer(ProgressStore store, List<EpochListener> listeners, DivergenceCheck divergence) {
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.divergence = divergence;
    }

    /**
     * Runs (or resumes) a stage to its end.
     *
     * @return the final progress: completed epochs, best epoch and value
     * @throws DivergenceException if the objective or a required metric is not finite; the last committed
     *                             epoch stays resumable
     */
    public StageProgress run(Stage stage, TrainingTask task) {
        StageProgress progress = store.progress(stage.mode());
        if (progress.finished() && progress.completedEpochs() >= stage.epochs()) {
            LOG.info("{}: already finished ({} epochs), skipping", stage.mode(), progress.completedEpochs());
            return progress;
        }
        if (progress.completedEpochs() > stage.epochs()) {
            throw new IllegalStateException(stage.mode() + " has " + progress.completedEpochs()
                    + " completed epochs, more than the " + stage.epochs() + " configured");
        }
        if (progress.completedEpochs() > 0) {
            Path checkpoint = store.checkpointFile(stage.mode(), progress.completedEpochs() - 1);
            LOG.info("{}: resuming after epoch {} from {}", stage.mode(), progress.completedEpochs() - 1,
                    checkpoint.getFileName());
            readCheckpoint(checkpoint, task);
        }
        for (EpochListener l : listeners) {
            l.onStageStart(stage.mode(), progress.completedEpochs(), stage.epochs());
        }
        for (int epoch = progress.completedEpochs(); epoch < stage.epochs(); epoch++) {
            long start = System.nanoTime();
            task.trainEpoch(epoch);
            double coefficient = task.method().coefficient();
            Map<String, Double> metrics = new LinkedHashMap<>(task.evaluate());
            metrics.putAll(task.method().statistics());
            double objective = metrics.getOrDefault(TrainingTask.OBJECTIVE, Double.NaN);
            double seconds = (System.nanoTime() - start) / 1e9;
            divergence.check(stage.mode(), epoch, objective, metrics);

            int bestEpoch = progress.bestEpoch();
            double bestValue = progress.bestValue();
            double bestTie = progress.bestTieValue();
            Selection selection = stage.selection();
            double value = selection.metric().isEmpty() ? epoch : metrics.getOrDefault(selection.metric(), Double.NaN);
            double tie = selection.tieBreak().isEmpty() ? Double.NaN
                    : metrics.getOrDefault(selection.tieBreak(), Double.NaN);
            if (bestEpoch < 0 || selection.isBetter(value, tie, bestValue, bestTie)) {
                task.saveBest(epoch);
                bestEpoch = epoch;
                bestValue = value;
                bestTie = tie;
            }
            Path checkpoint = store.checkpointFile(stage.mode(), epoch);
            writeCheckpoint(checkpoint, task);
            EpochRecord record = new EpochRecord(stage.mode(), stage.phase(), epoch, seconds, coefficient,
                    objective, metrics);
            for (EpochListener l : listeners) {
                l.onEpochEnd(record);
            }
            progress = new StageProgress(stage.mode(), epoch + 1, bestEpoch, bestValue, bestTie,
                    checkpoint.getFileName().toString(), false);
            store.commit(progress);
            release.afterEpoch();
        }
        if (stage.epochs() > 0) {
            task.saveLast(stage.epochs() - 1);
        }
        progress = progress.finish();
        store.commit(progress);
        return progress;
    }

    /**
     * Writes the method's state and the task's model and optimiser into one file, atomically, then its SHA-256
     * beside it ({@link AtomicFiles#writeWithChecksum}).
     */
    static void writeCheckpoint(Path file, TrainingTask task) {
        AtomicFiles.writeWithChecksum(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                task.method().state().write(out);
                task.writeCheckpoint(out);
            }
        });
    }

    /**
     * Verifies a checkpoint against its checksum, then restores what {@link #writeCheckpoint} wrote (multipliers
     * straight into the method's own store).
     *
     * @throws IllegalStateException if the checkpoint is missing or does not match its checksum
     */
    static void readCheckpoint(Path file, TrainingTask task) {
        AtomicFiles.checksumProblem(file).ifPresent(problem -> {
            throw new IllegalStateException("the checkpoint " + file + " " + problem + "; start a new run");
        });
        StatefulMethod method = task.method();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            method.restore(MethodState.read(in, method.state().multipliers()));
            task.readCheckpoint(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file + ": " + e.getMessage()
                    + " (was it written by another version or mode?)", e instanceof IOException io ? io
                    : new IOException(e));
        }
    }
}
