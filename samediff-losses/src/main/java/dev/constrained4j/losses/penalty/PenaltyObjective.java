package dev.constrained4j.losses.penalty;

import dev.constrained4j.losses.constraint.SampleConstraint;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.SampleBatch;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The minibatch objective of a SameDiff model trained by a constrained method ({@code losses.method}):
 *
 * <pre>  L_graph(w; M) = (1/|M|) Σ_{i∈M} [ ℓ_i + τ · w_i · c_i ]</pre>
 *
 * with two placeholders fed per batch: the coefficient τ ({@link #COEFFICIENT}, shape {@code [1, 1]}) and the
 * per-sample weights {@code w_i} ({@link #WEIGHTS}, shape {@code [b, 1]}), both taken from the method's
 * {@link BatchTerms} ({@code τ = constraintScale}) and {@link SampleBatch#weights()}. For fixed weights the graph's
 * gradient is {@code Σ_i (∇ℓ_i + τ·w_i·∇c_i)/b}: exactly the gradient of the method's objective, whatever the method
 * (for the sequential penalty {@code w_i = φ'(c_i)}, so it is the gradient of {@code mean_i[ℓ_i + τ·φ(c_i)]}). The
 * graph's loss value is that linearisation, not the method's objective: the value is the method's
 * ({@code ConstrainedMethod.terms}). The coefficient stays a placeholder, changed between iterations without
 * rebuilding the graph. The objective is a batch <em>mean</em>, never a sum.
 *
 * <p>Built from basic ops only: DL4J M2.1's {@code sd.loss.*} ops with {@code LossReduce.NONE} ignore the
 * gradient flowing into them (DL4J issue #9026), and a per-sample loss whose last op is a broadcast multiply by a
 * scalar propagates to row 0 only. The gradient is checked by finite differences in tests.
 */
public final class PenaltyObjective {

    /** Name of the coefficient placeholder τ, {@code [1, 1]}. */
    public static final String COEFFICIENT = "penalty_coefficient";
    /** Name of the per-sample weight placeholder, {@code [b, 1]}. */
    public static final String WEIGHTS = "constraint_weights";
    /** Name of the scalar objective variable. */
    public static final String LOSS = "objective";
    /** Name of the per-sample constraint values, {@code [mb, 1]}. */
    public static final String CONSTRAINT_VALUES = "constraint_values";

    private PenaltyObjective() {
    }

    /**
     * Defines the objective in {@code sd} and marks it as the graph's loss.
     *
     * @param taskLoss   per-sample task losses ℓ_i, shape {@code [mb, 1]}
     * @param constraint the constraint, or null for the task loss alone (no placeholders then)
     * @param output     the output the constraint is about
     * @param reference  what the output is compared with
     * @return the scalar objective, named {@link #LOSS}
     */
    public static SDVariable define(SameDiff sd, SDVariable taskLoss, SampleConstraint constraint,
                                    SDVariable output, SDVariable reference) {
        return define(sd, taskLoss, constraint == null ? null : constraint.define(sd, output, reference));
    }

    /**
     * Defines the objective from per-sample constraint values already in the graph.
     *
     * @param constraintValues {@code c_i}, shape {@code [mb, 1]} (renamed {@link #CONSTRAINT_VALUES}), or null for
     *                         the task loss alone
     */
    public static SDVariable define(SameDiff sd, SDVariable taskLoss, SDVariable constraintValues) {
        SDVariable perSample = taskLoss;
        if (constraintValues != null) {
            DataType type = taskLoss.dataType();
            SDVariable coefficient = sd.placeHolder(COEFFICIENT, type, 1, 1);
            SDVariable weights = sd.placeHolder(WEIGHTS, type, -1, 1);
            SDVariable c = constraintValues.rename(CONSTRAINT_VALUES);
            // coefficient first, then the per-sample term: see the class comment on broadcast multiplies
            perSample = taskLoss.add(coefficient.mul(weights.mul(c)));
        }
        SDVariable loss = perSample.mean().rename(LOSS);
        sd.setLossVariables(loss);
        return loss;
    }

    /**
     * Puts a method's coefficient and weights for the batch into a placeholder map (the graph must have been
     * defined with a constraint; the method's loss scale must be 1, the only one this graph has).
     */
    public static void feed(Map<String, org.nd4j.linalg.api.ndarray.INDArray> feed, BatchTerms terms,
                            SampleBatch batch, DataType type) {
        if (terms.lossScale() != 1.0) {
            throw new IllegalArgumentException("the SameDiff objective has loss scale 1, the method asks for "
                    + terms.lossScale());
        }
        double[] w = java.util.Arrays.copyOf(batch.weights(), batch.size());
        feed.put(COEFFICIENT, Nd4j.createFromArray(new double[][]{{terms.constraintScale()}}).castTo(type));
        feed.put(WEIGHTS, Nd4j.createFromArray(w).reshape(w.length, 1).castTo(type));
    }

    /** Placeholder values that make the graph's objective the task loss alone (evaluation, plain training). */
    public static void feedNone(Map<String, org.nd4j.linalg.api.ndarray.INDArray> feed, int batchSize,
                                DataType type) {
        feed.put(COEFFICIENT, Nd4j.zeros(type, 1, 1));
        feed.put(WEIGHTS, Nd4j.zeros(type, batchSize, 1));
    }

    /**
     * Per-sample softmax cross-entropy {@code ℓ_i = -Σ_k y_ik log softmax(z_i)_k}, shape {@code [mb, 1]},
     * from basic ops (see the class comment).
     */
    public static SDVariable softmaxCrossEntropy(SameDiff sd, SDVariable logits, SDVariable oneHotLabels) {
        SDVariable logProbabilities = sd.nn.logSoftmax(logits);
        return oneHotLabels.mul(logProbabilities).sum(true, 1).neg();
    }
}
