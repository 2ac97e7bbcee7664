package dev.constrained4j.losses.weights;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code W ≥ 0} elementwise as the violation {@code C(W) = Σ_i relu(−w_i)} (seed 002 eq. 16, summed over the
 * layer). Gradient {@code −1} where {@code w_i < 0}, else 0. Proximal operator (closed form, elementwise):
 * {@code v} where {@code v ≥ 0}, 0 where {@code −t ≤ v < 0}, {@code v + t} where {@code v < −t}; the clamp
 * {@code max(0, v)} as {@code t → ∞}.
 */
public record NonNegativity() implements WeightConstraint {

    @Override
    public String kind() {
        return "nonneg";
    }

    @Override
    public double value(INDArray w) {
        return Transforms.relu(w.neg(), false).sumNumber().doubleValue();
    }

    @Override
    public INDArray gradient(INDArray w) {
        return w.ulike().assign(0).subi(w.lt(0.0).castTo(w.dataType()));
    }

    @Override
    public INDArray proximal(INDArray v, double t) {
        Proximal.requireStep(t);
        INDArray positive = Transforms.relu(v, true);
        if (Double.isInfinite(t)) {
            return positive;
        }
        // the negative part shrinks by t towards 0: min(0, v + t)
        INDArray negative = Transforms.relu(v.neg().subi(t), false).negi();
        return positive.addi(negative);
    }
}
