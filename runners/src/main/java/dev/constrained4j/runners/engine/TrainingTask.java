package dev.constrained4j.runners.engine;

import dev.constrained4j.losses.method.StatefulMethod;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * One stage of one experiment (e.g. the {@code penalty} mode of MNIST): a model, its data, the constrained method
 * that trains it and its optimiser, an epoch of which is one {@link MinibatchLoop} pass (per-sample
 * constraints) or one {@link OptimizerLoop} pass (a {@code ConstrainedOptimizer}: constraints that are
 * expectations over groups, constraints on the weights). The
 * {@link ConstrainedTrainer} drives it.
 *
 * <p>Call order per epoch: {@link #trainEpoch}, then {@link #evaluate}; then, if the trainer decides so,
 * {@link #saveBest}, and always a checkpoint: the trainer writes the method's state, then
 * {@link #writeCheckpoint}. After a restart the trainer restores the method's state and calls
 * {@link #readCheckpoint} once, before the first {@code trainEpoch}.
 */
public interface TrainingTask {

    /** Key of the training objective in {@link #evaluate}'s metrics. */
    String OBJECTIVE = "train_objective";

    /**
     * The method this stage trains with (its coefficient and statistics go into the epoch's record, its state first
     * into every checkpoint): a {@code ConstrainedMethod} of the {@link MinibatchLoop}, or a
     * {@code ConstrainedOptimizer} of the {@link OptimizerLoop}.
     */
    StatefulMethod method();

    /**
     * Runs one epoch of the minibatch loop. The order of the examples must depend only on the task's seed and
     * {@code epoch}, so that a resumed run repeats an uninterrupted one.
     */
    void trainEpoch(int epoch);

    /**
     * Evaluates the current model on every split.
     *
     * @return metrics keyed {@code <split>_<metric>} (e.g. {@code train_acc}); NaN means "not applicable".
     *         Includes {@link #OBJECTIVE}, the epoch's training objective with the method's state after the epoch
     *         (MNIST: on the whole training set; HiDDeN: the mean over the epoch's minibatches, as the reference
     *         logs it). NaN or infinite signals divergence.
     */
    Map<String, Double> evaluate();

    /** Writes the model's weights and optimiser state, enough to continue bit for bit. */
    void writeCheckpoint(DataOutputStream out) throws IOException;

    /** Restores what {@link #writeCheckpoint} wrote. */
    void readCheckpoint(DataInputStream in) throws IOException;

    /**
     * Called when the epoch just evaluated is the best so far: save the portable weights and whatever
     * per-sample records the report needs.
     */
    void saveBest(int epoch);

    /** Called after the last epoch: save the portable weights of the final model. */
    void saveLast(int epoch);
}
