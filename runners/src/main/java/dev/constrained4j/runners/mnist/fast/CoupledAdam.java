package dev.constrained4j.runners.mnist.fast;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam with coupled L2 on one flat parameter vector, as PyTorch's {@code Adam(weight_decay=wd)} (SPEC §3):
 * {@code g ← g + wd·w} on every parameter (biases included) before the moments, then
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²} and, in the {@link Form#PYTORCH} form,
 * {@code w ← w − lr·m̂/(√v̂ + ε)} with {@code m̂ = m/(1−β1^t)}, {@code v̂ = v/(1−β2^t)}.
 *
 * <p>DL4J's Adam (the SameDiff engine's) divides by {@code √v + ε} instead of {@code √v̂ + ε}: the same update
 * with ε scaled by {@code √(1−β2^t)}. Both run as one native {@code adam_updater} op per step; the PyTorch form
 * passes that op {@code ε·√(1−β2^t)}, which makes its update exactly PyTorch's.
 */
public final class CoupledAdam {

    /** Where ε enters the update. */
    public enum Form {
        /** {@code lr·m̂/(√v̂ + ε)}: PyTorch's, the reference's. */
        PYTORCH,
        /** {@code lr·√(1−β2^t)/(1−β1^t)·m/(√v + ε)}: DL4J's {@code Adam}, used by the SameDiff engine. */
        DL4J
    }

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Form form;
    private final INDArray m;
    private final INDArray v;
    private long step;

    /** Fresh (zero) moments for a flat parameter vector like {@code parameters}. */
    public CoupledAdam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, Form form,
                       INDArray parameters) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.form = form;
        this.m = Nd4j.zeros(parameters.dataType(), parameters.length());
        this.v = Nd4j.zeros(parameters.dataType(), parameters.length());
    }

    /**
     * One step: {@code parameters} and {@code gradients} are flat vectors of equal length; the gradient array is
     * overwritten (it holds the update afterwards).
     */
    public void step(INDArray parameters, INDArray gradients) {
        if (weightDecay > 0) {
            Nd4j.exec(new Axpy(parameters, gradients, gradients, weightDecay));
        }
        step++;
        double eps = form == Form.PYTORCH ? epsilon * Math.sqrt(1 - Math.pow(beta2, step)) : epsilon;
        // the native op counts iterations from 0 and bias-corrects with iteration + 1
        Nd4j.exec(new AdamUpdater(gradients, v, m, learningRate, beta1, beta2, eps, Math.toIntExact(step - 1)));
        parameters.subi(gradients);
    }

    /** Steps taken so far (t of the bias correction). */
    public long steps() {
        return step;
    }

    /** First moments (live array). */
    public INDArray firstMoments() {
        return m;
    }

    /** Second moments (live array). */
    public INDArray secondMoments() {
        return v;
    }

    /** Restores the state of a checkpoint. */
    public void restore(long steps, INDArray firstMoments, INDArray secondMoments) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        m.assign(firstMoments);
        v.assign(secondMoments);
        this.step = steps;
    }
}
