package dev.constrained4j.runners.weights;

import dev.constrained4j.losses.weights.WeightConstraintSet;
import dev.constrained4j.models.weights.GraphClassifier;
import dev.constrained4j.models.weights.ImageClassifier;
import dev.constrained4j.runners.engine.OptimizerLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An image classifier under constraints on its weights, as the {@link OptimizerLoop} drives it: the objective is the
 * batch's mean cross-entropy, the constraint values {@code C(θ)} depend on the weights only (every batch sees the
 * same), and the gradient is {@code a·∇F + Σ_j v_j ∇C_j(θ)}.
 */
final class WeightsBatchModel implements OptimizerLoop.BatchModel {

    private final ImageClassifier classifier;
    private final WeightConstraintSet constraints;
    private final INDArray features;
    private final int[] labels;
    private final long[] imageShape;
    private final Map<String, INDArray> gradients = new LinkedHashMap<>();
    private GraphClassifier.LossAndGradient last;

    /**
     * @param features   the training images, {@code [n, h·w]} (rows gathered per batch)
     * @param imageShape {@code [c, h, w]}
     */
    WeightsBatchModel(ImageClassifier classifier, WeightConstraintSet constraints, INDArray features, int[] labels,
                      long[] imageShape) {
        this.classifier = classifier;
        this.constraints = constraints;
        this.features = features;
        this.labels = labels;
        this.imageShape = imageShape.clone();
        for (Map.Entry<String, INDArray> e : classifier.parameters().entrySet()) {
            gradients.put(e.getKey(), e.getValue().ulike());
        }
    }

    @Override
    public int constraintCount() {
        return constraints.size();
    }

    @Override
    public double forward(int[] rows, double[] values) {
        INDArray batch = features.getRows(rows).reshape(rows.length, imageShape[0], imageShape[1], imageShape[2]);
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = labels[rows[i]];
        }
        last = classifier.lossAndGradient(batch, y);
        constraintValues(rows, values);
        return last.loss();
    }

    @Override
    public void constraintValues(int[] rows, double[] values) {
        double[] c = constraints.values(classifier.parameters());
        System.arraycopy(c, 0, values, 0, c.length);
    }

    @Override
    public void backward(double objectiveWeight, double[] constraintWeights) {
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            e.getValue().assign(last.gradients().get(e.getKey()));
            if (objectiveWeight != 1) {
                e.getValue().muli(objectiveWeight);
            }
        }
        boolean any = false;
        for (int j = 0; j < constraints.size(); j++) {
            any |= constraintWeights[j] != 0;
        }
        if (any) {
            constraints.accumulateGradient(classifier.parameters(), constraintWeights, gradients);
        }
    }

    @Override
    public Map<String, INDArray> parameters() {
        return classifier.parameters();
    }

    @Override
    public Map<String, INDArray> gradients() {
        return gradients;
    }
}
