package dev.constrained4j.runners.engine;

/**
 * How far one stage has come, as last committed: the number of completed epochs, the best epoch so far and
 * the checkpoint to continue from. A stage is {@code finished} once its last weights are saved.
 *
 * @param bestTieValue the best epoch's value of the selection's tie-break metric (NaN when it has none)
 * @param checkpoint   file name of the checkpoint of epoch {@code completedEpochs - 1}, in the store's checkpoint
 *                     folder ({@link ProgressStore#checkpointFile}; null before the first epoch)
 */
public record StageProgress(String mode, int completedEpochs, int bestEpoch, double bestValue,
                            double bestTieValue, String checkpoint, boolean finished) {

    public StageProgress {
        if (completedEpochs < 0) {
            throw new IllegalArgumentException("completedEpochs must be >= 0, got " + completedEpochs);
        }
    }

    /** A progress whose selection has no tie-break. */
    public StageProgress(String mode, int completedEpochs, int bestEpoch, double bestValue, String checkpoint,
                         boolean finished) {
        this(mode, completedEpochs, bestEpoch, bestValue, Double.NaN, checkpoint, finished);
    }

    /** The progress of a stage that has not started. */
    public static StageProgress notStarted(String mode) {
        return new StageProgress(mode, 0, -1, Double.NaN, null, false);
    }

    /** The same progress, marked finished. */
    public StageProgress finish() {
        return new StageProgress(mode, completedEpochs, bestEpoch, bestValue, bestTieValue, checkpoint, true);
    }
}
