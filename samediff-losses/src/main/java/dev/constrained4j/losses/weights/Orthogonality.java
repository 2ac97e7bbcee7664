package dev.constrained4j.losses.weights;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Orthogonality of a weight matrix, {@code C(W) = ‖MᵀM − I‖²_F} (seed 002 eq. 15), where {@code M} is {@code W}
 * as a matrix: a rank-2 array as it is, a convolution kernel {@code [out, in, kh, kw]} reshaped (c order) to
 * {@code [out, in·kh·kw]}, one row per output channel.
 *
 * <p><b>Which Gram.</b> {@code M} is taken in its tall orientation: for {@code M} of {@code p × q}, the Gram is
 * {@code MᵀM} ({@code q × q}) when {@code p ≥ q} and {@code MMᵀ} ({@code p × p}) when {@code p < q}, i.e. always the
 * smaller one. The larger Gram has rank at most {@code min(p, q)}, so {@code ‖G − I‖²_F ≥ |p − q|} for every
 * {@code W} and the constraint could never be met; the smaller one is 0 exactly when the rows (the filters of a
 * convolution with fewer outputs than fan-in) or the columns are orthonormal, and costs {@code min(p,q)²} entries.
 * This is also the orientation of Wang et al.'s {@code orth_dist}, seed 002's reference [16]. The value does not
 * depend on whether a dense layer is stored {@code [nIn, nOut]} (DL4J) or {@code [nOut, nIn]}.
 *
 * <p>Gradient {@code 4M(MᵀM − I)} (tall case; {@code 4(MMᵀ − I)M} in the wide case), reshaped to {@code W}'s shape.
 * The constraint is not convex and its proximal operator has no closed form: {@link #proximal} takes
 * {@link #proximalSteps()} gradient steps on {@code t·C(z) + ½‖z − v‖²} from {@code z = v}, each with step
 * {@code 1/(1 + t·4(3‖z‖²_F + 1))}, a bound on the curvature there, so every step decreases the objective.
 *
 * @param proximalSteps the gradient steps of the approximate proximal operator, ≥ 1
 */
public record Orthogonality(int proximalSteps) implements WeightConstraint {

    /** The number of gradient steps of {@link #proximal} unless told otherwise. */
    public static final int DEFAULT_PROXIMAL_STEPS = 10;

    public Orthogonality {
        if (proximalSteps < 1) {
            throw new IllegalArgumentException("orthogonality's proximalSteps must be >= 1, got " + proximalSteps);
        }
    }

    /** Orthogonality with {@value #DEFAULT_PROXIMAL_STEPS} proximal steps. */
    public Orthogonality() {
        this(DEFAULT_PROXIMAL_STEPS);
    }

    @Override
    public String kind() {
        return "orth";
    }

    @Override
    public double value(INDArray w) {
        INDArray m = matrix(w);
        INDArray residual = gram(m).subi(Nd4j.eye(gramSize(m)).castTo(m.dataType()));
        double norm = residual.norm2Number().doubleValue();
        return norm * norm;
    }

    @Override
    public INDArray gradient(INDArray w) {
        INDArray m = matrix(w);
        INDArray residual = gram(m).subi(Nd4j.eye(gramSize(m)).castTo(m.dataType()));
        INDArray g = tall(m) ? m.mmul(residual) : residual.mmul(m);
        return g.muli(4.0).reshape('c', w.shape());
    }

    @Override
    public INDArray proximal(INDArray v, double t) {
        Proximal.requireStep(t);
        if (Double.isInfinite(t)) {
            throw new IllegalArgumentException("orthogonality has no projection here; use a finite proximal step t");
        }
        INDArray z = v.dup('c');
        for (int s = 0; s < proximalSteps; s++) {
            double frobenius = z.norm2Number().doubleValue();
            double h = 1.0 / (1.0 + t * 4.0 * (3.0 * frobenius * frobenius + 1.0));
            INDArray step = gradient(z).muli(t).addi(z).subi(v);
            z.subi(step.muli(h));
        }
        return z;
    }

    private static INDArray matrix(INDArray w) {
        if (w.rank() == 2) {
            return w;
        }
        if (w.rank() == 4) {
            long out = w.size(0);
            return w.dup('c').reshape('c', out, w.length() / out);
        }
        throw new IllegalArgumentException("orthogonality needs a matrix or a convolution kernel [out, in, kh, kw], got"
                + " shape " + java.util.Arrays.toString(w.shape()));
    }

    private static boolean tall(INDArray m) {
        return m.rows() >= m.columns();
    }

    private static int gramSize(INDArray m) {
        return Math.min(m.rows(), m.columns());
    }

    private static INDArray gram(INDArray m) {
        return tall(m) ? m.transpose().mmul(m) : m.mmul(m.transpose());
    }
}
