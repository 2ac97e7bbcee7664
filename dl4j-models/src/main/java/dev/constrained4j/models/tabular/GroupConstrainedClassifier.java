package dev.constrained4j.models.tabular;

import dev.constrained4j.losses.group.GroupRateConstraints;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A binary classifier under group positive-rate constraints ({@code docs/fairness.md}): for a batch of rows, the
 * objective {@code f = (1/b) Σ_i BCE(z_i, y_i)} (binary cross-entropy with logits), the constraint values
 * {@code C_j} of {@link GroupRateConstraints} on {@code p_i = σ(z_i)}, and the gradient of
 * {@code a·f + Σ_j v_j C_j} for the weights an optimiser asks for. It knows no optimiser and no method.
 *
 * <pre>  ∂/∂z_i = a·(p_i − y_i)/b + p_i(1 − p_i)·∂(Σ_j v_j C_j)/∂p_i</pre>
 */
public final class GroupConstrainedClassifier {

    private final TabularMlp network;
    private final GroupRateConstraints constraints;
    private double[] probabilities = new double[0];
    private int[] lastLabels;
    private int[] lastGroups;

    public GroupConstrainedClassifier(TabularMlp network, GroupRateConstraints constraints) {
        this.network = Objects.requireNonNull(network, "network");
        this.constraints = Objects.requireNonNull(constraints, "constraints");
    }

    public TabularMlp network() {
        return network;
    }

    public GroupRateConstraints constraints() {
        return constraints;
    }

    /** The binary cross-entropy of a logit {@code z} against label {@code y}, computed stably. */
    public static double bce(double z, int y) {
        return Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** The logistic function. */
    public static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * Training forward pass: returns the batch's mean BCE and writes the constraint values into {@code values}
     * (length ≥ {@code constraints().count()}); keeps what {@link #backward} needs.
     *
     * @param features all rows, row-major (the network's input width per row)
     * @param rows     the batch's rows
     * @param labels   the batch's labels (0/1)
     * @param groups   the batch's groups
     */
    public double forward(double[] features, int[] rows, int[] labels, int[] groups, double[] values) {
        double[] z = network.forward(features, rows);
        int b = z.length;
        if (labels.length != b || groups.length != b) {
            throw new IllegalArgumentException(b + " rows but " + labels.length + " labels and " + groups.length
                    + " groups");
        }
        if (probabilities.length < b) {
            probabilities = new double[b];
        }
        double loss = 0;
        for (int i = 0; i < b; i++) {
            loss += bce(z[i], labels[i]);
            probabilities[i] = sigmoid(z[i]);
        }
        constraints.values(probabilities, groups, b, values);
        lastLabels = labels;
        lastGroups = groups;
        return loss / b;
    }

    /** The constraint values of a batch without keeping anything (a second, independent estimate). */
    public void constraintValues(double[] features, int[] rows, int[] groups, double[] values) {
        double[] z = network.predict(features, rows);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = sigmoid(z[i]);
        }
        constraints.values(p, groups, z.length, values);
    }

    /** Fills the network's gradients with {@code ∇(a·f + Σ_j v_j C_j)} for the batch of the last forward pass. */
    public void backward(double objectiveWeight, double[] constraintWeights) {
        if (lastLabels == null) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        int b = lastLabels.length;
        double[] dz = new double[b];
        boolean constrained = false;
        for (int j = 0; j < constraints.count(); j++) {
            constrained |= constraintWeights[j] != 0;
        }
        if (constrained) {
            constraints.backward(lastGroups, b, constraintWeights, dz);
        }
        for (int i = 0; i < b; i++) {
            double p = probabilities[i];
            dz[i] = objectiveWeight * (p - lastLabels[i]) / b + (constrained ? p * (1 - p) * dz[i] : 0);
        }
        network.backward(dz);
    }

    /** The parameters (live). */
    public Map<String, INDArray> parameters() {
        return network.parameters();
    }

    /** The gradients of the last {@link #backward} (live). */
    public Map<String, INDArray> gradients() {
        return network.gradients();
    }
}
