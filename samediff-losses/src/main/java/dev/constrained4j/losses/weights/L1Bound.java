package dev.constrained4j.losses.weights;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code ‖W‖₁ ≤ r} as the violation {@code C(W) = max(0, ‖W‖₁ − r)} (seed 002 §4.2, "L1 norm constraints"; with
 * {@code r = 0} the paper's {@code ‖w‖₁}). Gradient {@code sign(W)} where {@code ‖W‖₁ > r}, else 0. Proximal operator
 * (closed form): the soft threshold {@code S_τ(v) = sign(v)·max(0, |v| − τ)} with {@code τ = min(t, τ_r(v))}, where
 * {@code τ_r(v)} is the threshold of the Euclidean projection onto the L1 ball of radius {@code r} (0 inside it):
 * the minimiser of {@code t·max(0, ‖z‖₁ − r) + ½‖z − v‖²} lies outside the ball ({@code S_t(v)}), inside it
 * ({@code v}) or on its sphere ({@code S_{τ_r}(v)}), and {@code ‖S_τ(v)‖₁} decreasing in {@code τ} picks the case.
 *
 * @param radius r ≥ 0
 */
public record L1Bound(double radius) implements WeightConstraint {

    public L1Bound {
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("the L1 bound's radius must be a finite number >= 0, got " + radius);
        }
    }

    @Override
    public String kind() {
        return "l1";
    }

    @Override
    public double value(INDArray w) {
        return Math.max(0.0, w.norm1Number().doubleValue() - radius);
    }

    @Override
    public INDArray gradient(INDArray w) {
        if (value(w) <= 0) {
            return w.ulike().assign(0);
        }
        return Transforms.sign(w, true);
    }

    @Override
    public INDArray proximal(INDArray v, double t) {
        Proximal.requireStep(t);
        double tau = Math.min(t, projectionThreshold(v.dup('c').data().asDouble(), radius));
        return softThreshold(v, tau);
    }

    /** {@code sign(v)·max(0, |v| − τ)}, elementwise. */
    static INDArray softThreshold(INDArray v, double tau) {
        INDArray shrunk = Transforms.abs(v, true).subi(tau);
        return Transforms.relu(shrunk, false).muli(Transforms.sign(v, true));
    }

    /**
     * The τ ≥ 0 with {@code ‖S_τ(v)‖₁ = r} (Duchi et al. 2008, by sorting), or 0 when {@code ‖v‖₁ ≤ r}.
     */
    static double projectionThreshold(double[] v, double r) {
        double[] a = new double[v.length];
        double total = 0;
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
            total += a[i];
        }
        if (total <= r) {
            return 0.0;
        }
        Arrays.sort(a);
        // descending order a_(1) ≥ a_(2) ≥ ...: θ = (Σ_{i≤k} a_(i) − r)/k for the largest k with a_(k) > θ_k;
        // k = 1 always qualifies (for r = 0 the projection onto {0}, θ = max|v|)
        double cumulative = a[a.length - 1];
        double theta = cumulative - r;
        for (int k = 2; k <= a.length; k++) {
            double ak = a[a.length - k];
            cumulative += ak;
            double candidate = (cumulative - r) / k;
            if (ak > candidate) {
                theta = candidate;
            } else {
                break;
            }
        }
        return Math.max(0.0, theta);
    }
}
