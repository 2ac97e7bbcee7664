package dev.constrained4j.runners.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * One stage of one experiment (e.g. the {@code penalty} mode of MNIST): a model, its data, its objective and
 * its inner optimiser. The {@link ConstrainedTrainer} drives it.
 *
 * <p>Call order per epoch: {@link #trainEpoch} with the coefficient of that epoch, then {@link #evaluate};
 * then, if the trainer decides so, {@link #saveBest}, and always {@link #saveCheckpoint}. After a restart the
 * trainer calls {@link #loadCheckpoint} once, before the first {@code trainEpoch}.
 */
public interface TrainingTask {

    /** Key of the training objective in {@link #evaluate}'s metrics. */
    String OBJECTIVE = "train_objective";

    /**
     * Runs one epoch of the inner optimiser with the penalty coefficient fixed at {@code coefficient}.
     * The order of the examples must depend only on the task's seed and {@code epoch}, so that a resumed run
     * repeats an uninterrupted one.
     */
    void trainEpoch(int epoch, double coefficient);

    /**
     * Evaluates the current model on every split.
     *
     * @return metrics keyed {@code <split>_<metric>} (e.g. {@code train_acc}); NaN means "not applicable".
     *         Includes {@link #OBJECTIVE}, the epoch's training objective with the epoch's coefficient (MNIST:
     *         on the whole training set after the epoch; HiDDeN: the mean over the epoch's minibatches, as the
     *         reference logs it). NaN or infinite signals divergence.
     */
    Map<String, Double> evaluate();

    /** Writes everything needed to continue training bit-for-bit (weights and optimiser state). */
    void saveCheckpoint(Path file);

    /** Restores the state written by {@link #saveCheckpoint}. */
    void loadCheckpoint(Path file);

    /**
     * Called when the epoch just evaluated is the best so far: save the portable weights and whatever
     * per-sample records the report needs.
     */
    void saveBest(int epoch);

    /** Called after the last epoch: save the portable weights of the final model. */
    void saveLast(int epoch);
}
