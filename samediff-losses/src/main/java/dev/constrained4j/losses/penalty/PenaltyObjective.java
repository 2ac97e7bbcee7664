package dev.constrained4j.losses.penalty;

import dev.constrained4j.losses.constraint.SampleConstraint;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The penalised minibatch objective of the sequential penalty method (seed 000/001, SPEC §2):
 *
 * <pre>  L(w; M) = (1/|M|) Σ_{i∈M} [ ℓ_i + τ · φ(c_i) ]</pre>
 *
 * with φ one of {@link PenaltyFunction}. The coefficient τ is a SameDiff <em>placeholder</em> named
 * {@link #COEFFICIENT}, shape {@code [1, 1]}: the runner feeds a new value between iterations without
 * rebuilding the graph. The objective is a batch <em>mean</em>, never a sum, so it does not depend on the
 * batch size.
 *
 * <p>Built from basic ops only: DL4J M2.1's {@code sd.loss.*} ops with {@code LossReduce.NONE} ignore the
 * gradient flowing into them (DL4J issue #9026), and a per-sample loss whose last op is a broadcast
 * multiply by a scalar propagates to row 0 only. The gradient is checked by finite differences in tests.
 */
public final class PenaltyObjective {

    /** Name of the coefficient placeholder (τ for the penalty, λ for the fixed penalty). */
    public static final String COEFFICIENT = "penalty_coefficient";
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
     * @param constraint the constraint; ignored (may be null) when {@code function} is {@link PenaltyFunction#NONE}
     * @param output     the output the constraint is about
     * @param reference  what the output is compared with
     * @return the scalar objective, named {@link #LOSS}
     */
    public static SDVariable define(SameDiff sd, SDVariable taskLoss, PenaltyFunction function,
                                    SampleConstraint constraint, SDVariable output, SDVariable reference) {
        Objects.requireNonNull(function, "function");
        SDVariable perSample = taskLoss;
        if (function != PenaltyFunction.NONE) {
            Objects.requireNonNull(constraint, "constraint");
            DataType type = taskLoss.dataType();
            SDVariable coefficient = sd.placeHolder(COEFFICIENT, type, 1, 1);
            SDVariable c = constraint.define(sd, output, reference);
            c = c.rename(CONSTRAINT_VALUES);
            SDVariable penalty = switch (function) {
                case IDENTITY -> c;
                case HINGE -> sd.nn.relu(c.sub(constraint.bound()), 0.0);
                case SQUARED_HINGE -> {
                    SDVariable h = sd.nn.relu(c.sub(constraint.bound()), 0.0);
                    yield h.mul(h);
                }
                case NONE -> throw new AssertionError();
            };
            // coefficient first, then the per-sample term: see the class comment on broadcast multiplies
            perSample = taskLoss.add(coefficient.mul(penalty));
        }
        SDVariable loss = perSample.mean().rename(LOSS);
        sd.setLossVariables(loss);
        return loss;
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
