package dev.constrained4j.runners.fairness;

import dev.constrained4j.models.tabular.GroupConstrainedClassifier;
import dev.constrained4j.runners.engine.OptimizerLoop;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The classifier under group constraints on the training rows, as the {@link OptimizerLoop} drives it. */
final class GroupBatchModel implements OptimizerLoop.BatchModel {

    /** Rows of a split: features (row-major, {@code width} per row), labels (0/1) and groups. */
    record Rows(double[] features, int width, int[] labels, int[] groups) {
        Rows {
            if (width < 1 || features.length != (long) labels.length * width || labels.length != groups.length) {
                throw new IllegalArgumentException(features.length + " feature values of width " + width + ", "
                        + labels.length + " labels and " + groups.length + " groups");
            }
        }

        int size() {
            return labels.length;
        }
    }

    private final GroupConstrainedClassifier classifier;
    private final Rows data;

    GroupBatchModel(GroupConstrainedClassifier classifier, Rows data) {
        this.classifier = classifier;
        this.data = data;
    }

    @Override
    public int constraintCount() {
        return classifier.constraints().count();
    }

    @Override
    public double forward(int[] rows, double[] constraints) {
        return classifier.forward(data.features(), rows, pick(data.labels(), rows), pick(data.groups(), rows),
                constraints);
    }

    @Override
    public void constraintValues(int[] rows, double[] constraints) {
        classifier.constraintValues(data.features(), rows, pick(data.groups(), rows), constraints);
    }

    @Override
    public void backward(double objectiveWeight, double[] constraintWeights) {
        classifier.backward(objectiveWeight, constraintWeights);
    }

    @Override
    public Map<String, INDArray> parameters() {
        return classifier.parameters();
    }

    @Override
    public Map<String, INDArray> gradients() {
        return classifier.gradients();
    }

    private static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }
}
