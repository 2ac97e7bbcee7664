package dev.constrained4j.losses.weights;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One constraint on one parameter array {@code W} (seed 002 §4.2), as a violation {@code C(W) ≥ 0}:
 * {@code C(W) = 0} means satisfied, and larger means more violated. This is seed 002's form (its problem (1) is
 * {@code C(θ) = 0}, each constraint a non-negative norm-like term) and it also meets the project's convention
 * {@code C ≤ 0} = satisfied ({@code ConstrainedOptimizer}), since {@code C} is never negative. A bounded constraint
 * is a hinge, e.g. {@code C = max(0, ‖W‖₁ − r)}, so that the feasible set {@code ‖W‖₁ ≤ r} is exactly {@code C = 0}
 * and the augmented Lagrangian's multipliers {@code λ ← λ + μC} never turn negative; a bound of 0 gives the paper's
 * unbounded term ({@code ‖W‖₁}, {@code ‖W‖₂²}).
 *
 * <p>Implementations are immutable and stateless; every method returns a new array in {@code W}'s data type and
 * leaves its argument unchanged.
 */
public interface WeightConstraint {

    /** The kind's short name, used in the names of violations and for per-kind coefficients ({@code l1}, ...). */
    String kind();

    /** The violation {@code C(W) ≥ 0}. */
    double value(INDArray w);

    /** {@code ∂C/∂W}, a (sub)gradient of {@link #value} of {@code W}'s shape; zero where {@code C = 0} on an open set. */
    INDArray gradient(INDArray w);

    /**
     * The proximal operator {@code prox_{tC}(v) = argmin_z t·C(z) + ½‖z − v‖²} with {@code t ≥ 0}; as
     * {@code t → ∞} it tends to the Euclidean projection onto the feasible set {@code C = 0}. Closed form for the
     * convex kinds; a documented approximation where there is none.
     */
    INDArray proximal(INDArray v, double t);
}
