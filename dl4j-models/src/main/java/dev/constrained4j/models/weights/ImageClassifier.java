package dev.constrained4j.models.weights;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An image classifier as the weight-constrained methods train it: its trainable parameters (live arrays, updated in
 * place by any optimiser of the project), the mean cross-entropy of a minibatch with its gradient, and an
 * evaluation in inference mode. {@link GraphClassifier} is the DL4J ComputationGraph's; a fused engine of the same
 * network implements it too.
 */
public interface ImageClassifier {

    /** The trainable parameters by name (live). */
    Map<String, INDArray> parameters();

    /** State that is not trained but belongs in a checkpoint (batch-norm running statistics), by name (live). */
    Map<String, INDArray> runningStatistics();

    /**
     * One training step's forward and backward pass: the minibatch's mean cross-entropy and its gradient for every
     * trainable parameter (arrays reused by the next call), with training-mode side effects (batch-norm running
     * statistics).
     *
     * @param features {@code [b, c, h, w]}
     * @param labels   the class of each example
     */
    GraphClassifier.LossAndGradient lossAndGradient(INDArray features, int[] labels);

    /** Accuracy and mean loss over a data set in batches of {@code batchSize}, in inference mode. */
    GraphClassifier.Evaluation evaluate(INDArray features, int[] labels, int batchSize);
}
