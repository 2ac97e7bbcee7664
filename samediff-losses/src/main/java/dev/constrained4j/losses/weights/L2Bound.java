package dev.constrained4j.losses.weights;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ‖W‖₂ ≤ r} as the violation {@code C(W) = max(0, ‖W‖₂² − r²)} (seed 002 §4.2 writes the L2 constraint as
 * {@code ‖w‖₂²}; with {@code r = 0} this is that term, and the feasible set is the ball of radius {@code r}).
 * Gradient {@code 2W} where {@code ‖W‖₂ > r}, else 0. Proximal operator (closed form, radial): {@code v} inside the
 * ball, else {@code v·max(r/‖v‖, 1/(1 + 2t))}, the scaling onto the ball as {@code t → ∞}.
 *
 * @param radius r ≥ 0
 */
public record L2Bound(double radius) implements WeightConstraint {

    public L2Bound {
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("the L2 bound's radius must be a finite number >= 0, got " + radius);
        }
    }

    @Override
    public String kind() {
        return "l2";
    }

    @Override
    public double value(INDArray w) {
        double norm = w.norm2Number().doubleValue();
        return Math.max(0.0, norm * norm - radius * radius);
    }

    @Override
    public INDArray gradient(INDArray w) {
        if (value(w) <= 0) {
            return w.ulike().assign(0);
        }
        return w.mul(2.0);
    }

    @Override
    public INDArray proximal(INDArray v, double t) {
        Proximal.requireStep(t);
        double norm = v.norm2Number().doubleValue();
        if (norm <= radius) {
            return v.dup();
        }
        double scale = Double.isInfinite(t) ? radius / norm : Math.max(radius / norm, 1.0 / (1.0 + 2.0 * t));
        return v.mul(scale);
    }
}
