package dev.constrained4j.losses.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.constrained4j.losses.method.AugmentedLagrangian.Kind;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The constrained methods on small problems whose solution is known in closed form or from a separate solver, in
 * double precision, used only through the {@link ConstrainedMethod} contract.
 *
 * <p>Each constraint {@code j} of a problem is a training sample with index {@code j}: its constraint value is
 * {@code c_j(x)} against the bound {@code B}, and the objective {@code f} is split evenly over the {@code m} samples,
 * {@code ℓ_j = f/m}. The full batch of {@code m} samples then has the objective
 * {@code L = (1/m) Σ_j [f/m + ψ_j] = (1/m) [f + Σ_j ψ_j]}, whose minimiser in {@code x} is that of the textbook
 * augmented Lagrangian {@code f + Σ_j ψ_j}: with this split, the method's multipliers λ_j are the textbook multipliers
 * of {@code min f s.t. g ≤ 0} (they are {@code m} times those of {@code min f/m s.t. g ≤ 0}, the scaling remark of
 * {@code docs/methods.md}). The primal gradient is assembled as an engine does, from the contract:
 * {@code ∇L = Σ_j (lossScale/b)·∇ℓ_j + (constraintScale·w_j/b)·∇c_j}.
 *
 * <p>The augmented Lagrangian runs as the method of multipliers: an outer loop whose every iteration minimises
 * {@code L} in {@code x} by gradient descent until {@code ‖∇L‖ ≤ 1e-12}, then takes one {@code dualStep} with the
 * constraint values of the last forward pass (those at the inner minimiser). The sequential penalty runs one such
 * inner minimisation per epoch (warm-started), τ from its schedule.
 *
 * <p>Tolerances: the multipliers are stored as floats, so λ cannot come closer to λ* than half a float ulp
 * (at most 3e-8 for the |λ*| ≤ 0.51 here); x then follows within about {@code ‖A‖/2} times that. Measured errors are
 * below 2e-8 (λ) and 2e-9 (x); the answers are asserted to 1e-6. The reference solutions themselves are checked
 * against their optimality conditions to 1e-12.
 */
class KnownAnswerTest {

    static final int CONSTRAINTS = 5;
    static final int NEGATIVE_BOUNDS = 3;
    static final double INNER_TOLERANCE = 1e-12;
    static final int MAX_INNER_ITERATIONS = 1_000_000;
    static final double ANSWER_TOLERANCE = 1e-6;
    static final double REFERENCE_TOLERANCE = 1e-12;

    /** A small problem as training samples: sample {@code j} has the objective term ℓ_j(x) and the value c_j(x). */
    interface SampleProblem {
        int samples();

        int dimension();

        double loss(int j, double[] x);

        double constraint(int j, double[] x);

        /** {@code gradient += factor·∇ℓ_j(x)}. */
        void addLossGradient(int j, double[] x, double factor, double[] gradient);

        /** {@code gradient += factor·∇c_j(x)}. */
        void addConstraintGradient(int j, double[] x, double factor, double[] gradient);
    }

    /** {@code min ‖x‖²} subject to {@code a_j·x − b_j ≤ 0} (or {@code = 0}): c_j = a_j·x − b_j, B = 0. */
    record MinimumNorm(double[][] a, double[] b) implements SampleProblem {
        @Override
        public int samples() {
            return a.length;
        }

        @Override
        public int dimension() {
            return a[0].length;
        }

        @Override
        public double loss(int j, double[] x) {
            return dot(x, x) / samples();
        }

        @Override
        public double constraint(int j, double[] x) {
            return dot(a[j], x) - b[j];
        }

        @Override
        public void addLossGradient(int j, double[] x, double factor, double[] gradient) {
            for (int k = 0; k < x.length; k++) {
                gradient[k] += factor * 2 * x[k] / samples();
            }
        }

        @Override
        public void addConstraintGradient(int j, double[] x, double factor, double[] gradient) {
            for (int k = 0; k < x.length; k++) {
                gradient[k] += factor * a[j][k];
            }
        }

        /** The largest singular value of A is at most 2.5 by construction, so ∇L is (2 + 6.25·ρ)/m-Lipschitz. */
        double step(double rho) {
            return samples() / (2 + 6.25 * rho);
        }
    }

    /**
     * Nocedal &amp; Wright, problem (17.3): {@code min x₁ + x₂ s.t. x₁² + x₂² − 2 = 0}, one sample with
     * ℓ = x₁ + x₂, c = x₁² + x₂², B = 2.
     */
    record NocedalWright173() implements SampleProblem {
        static final double BOUND = 2;

        @Override
        public int samples() {
            return 1;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public double loss(int j, double[] x) {
            return x[0] + x[1];
        }

        @Override
        public double constraint(int j, double[] x) {
            return x[0] * x[0] + x[1] * x[1];
        }

        @Override
        public void addLossGradient(int j, double[] x, double factor, double[] gradient) {
            gradient[0] += factor;
            gradient[1] += factor;
        }

        @Override
        public void addConstraintGradient(int j, double[] x, double factor, double[] gradient) {
            gradient[0] += factor * 2 * x[0];
            gradient[1] += factor * 2 * x[1];
        }
    }

    // ---- the contract, as an engine drives it ----

    /** The forward pass of the full batch at x: indices 0..m−1, ℓ_j(x), c_j(x). */
    static void forward(SampleProblem problem, double[] x, SampleBatch batch) {
        batch.resize(problem.samples());
        for (int j = 0; j < problem.samples(); j++) {
            batch.indices()[j] = j;
            batch.losses()[j] = problem.loss(j, x);
            batch.constraints()[j] = problem.constraint(j, x);
        }
    }

    /** ∇L at x from the method's derivative factors; returns ‖∇L‖. */
    static double gradient(ConstrainedMethod method, SampleProblem problem, double[] x, SampleBatch batch,
                           double[] gradient) {
        forward(problem, x, batch);
        BatchTerms terms = method.terms(batch);
        int b = batch.size();
        Arrays.fill(gradient, 0);
        for (int j = 0; j < b; j++) {
            problem.addLossGradient(j, x, terms.lossScale() / b, gradient);
            problem.addConstraintGradient(j, x, terms.constraintScale() * batch.weights()[j] / b, gradient);
        }
        return Math.sqrt(dot(gradient, gradient));
    }

    /**
     * Gradient descent on the method's batch objective, x updated in place, until {@code ‖∇L‖ ≤ INNER_TOLERANCE};
     * the batch then holds the forward pass at the returned x.
     */
    static void minimise(ConstrainedMethod method, SampleProblem problem, double[] x, double step, SampleBatch batch) {
        double[] g = new double[x.length];
        for (int iteration = 0; iteration < MAX_INNER_ITERATIONS; iteration++) {
            if (gradient(method, problem, x, batch, g) <= INNER_TOLERANCE) {
                return;
            }
            for (int k = 0; k < x.length; k++) {
                x[k] -= step * g[k];
            }
        }
        fail("gradient descent did not reach ‖∇L‖ ≤ " + INNER_TOLERANCE + " in " + MAX_INNER_ITERATIONS + " steps");
    }

    /** The method of multipliers: {@code outer} times an inner minimisation, then one dual step. */
    static double[] methodOfMultipliers(AugmentedLagrangian alm, SampleProblem problem, double[] start, double step,
                                        int outer) {
        double[] x = start.clone();
        SampleBatch batch = new SampleBatch(problem.samples());
        for (int k = 0; k < outer; k++) {
            alm.beginEpoch(k);
            minimise(alm, problem, x, step, batch);
            alm.dualStep(batch);
            alm.endEpoch(k);
        }
        return x;
    }

    // ---- (a) min ‖x‖² s.t. Ax ≤ b ----

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {5, 10})
    void augmentedLagrangianReachesTheMinimumNormPointOfLinearInequalities(int n) {
        MinimumNorm problem = minimumNorm(n, n);
        double[] lambdaStar = inequalityMultipliers(problem);
        double[] xStar = minusHalfATransposed(problem.a(), lambdaStar);
        assertOptimal(problem, xStar, lambdaStar);

        double rho = 5;
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(rho), Double.NaN, 0,
                Kind.INEQUALITY, new HeapMultipliers(CONSTRAINTS));
        double[] x = methodOfMultipliers(alm, problem, new double[n], problem.step(rho), 30);

        assertEquals(0, distance(x, xStar), ANSWER_TOLERANCE, "‖x − x*‖");
        for (int j = 0; j < CONSTRAINTS; j++) {
            assertEquals(lambdaStar[j], alm.multipliers().get(j), ANSWER_TOLERANCE, "λ_" + j);
        }
    }

    /**
     * {@code A = U·diag(s)·V} with U (m×m) and V (m×n, orthonormal rows) from Gram–Schmidt of Gaussian matrices,
     * {@code s ~ U[1.5, 2.5]}; b of unit norm, its first {@link #NEGATIVE_BOUNDS} entries negative (x = 0 violates
     * those constraints, so at least one is active at the optimum) and the others positive.
     */
    static MinimumNorm minimumNorm(int n, long seed) {
        Random random = new Random(seed);
        double[][] u = orthonormalRows(CONSTRAINTS, CONSTRAINTS, random);
        double[][] v = orthonormalRows(CONSTRAINTS, n, random);
        double[] s = new double[CONSTRAINTS];
        for (int j = 0; j < CONSTRAINTS; j++) {
            s[j] = 1.5 + random.nextDouble();
        }
        double[][] a = new double[CONSTRAINTS][n];
        for (int i = 0; i < CONSTRAINTS; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < CONSTRAINTS; j++) {
                    a[i][k] += u[i][j] * s[j] * v[j][k];
                }
            }
        }
        double[] b = new double[CONSTRAINTS];
        for (int j = 0; j < CONSTRAINTS; j++) {
            b[j] = (j < NEGATIVE_BOUNDS ? -1 : 1) * Math.abs(random.nextGaussian());
        }
        scale(b, 1 / Math.sqrt(dot(b, b)));
        return new MinimumNorm(a, b);
    }

    /**
     * λ* = argmin_{λ ≥ 0} ¼λᵀAAᵀλ + bᵀλ (the negated dual of {@code min ‖x‖² s.t. Ax ≤ b}, whose Lagrangian
     * {@code ‖x‖² + λᵀ(Ax − b)} is minimised by {@code x = −Aᵀλ/2}), by exact coordinate minimisation.
     */
    static double[] inequalityMultipliers(MinimumNorm problem) {
        double[][] q = gram(problem.a());
        scale(q, 0.5);
        double[] lambda = new double[CONSTRAINTS];
        for (int sweep = 0; sweep < 100_000; sweep++) {
            double change = 0;
            for (int j = 0; j < CONSTRAINTS; j++) {
                // ∂/∂λ_j = (Qλ)_j + b_j with Q = AAᵀ/2; zero at λ_j = −(b_j + Σ_{k≠j} Q_jk λ_k) / Q_jj
                double rest = problem.b()[j];
                for (int k = 0; k < CONSTRAINTS; k++) {
                    if (k != j) {
                        rest += q[j][k] * lambda[k];
                    }
                }
                double updated = Math.max(0, -rest / q[j][j]);
                change = Math.max(change, Math.abs(updated - lambda[j]));
                lambda[j] = updated;
            }
            if (change < 1e-16) {
                return lambda;
            }
        }
        throw new AssertionError("coordinate descent did not converge");
    }

    /** KKT of {@code min ‖x‖² s.t. Ax ≤ b} at (x*, λ*), and that at least one constraint is active. */
    static void assertOptimal(MinimumNorm problem, double[] xStar, double[] lambdaStar) {
        int active = 0;
        for (int j = 0; j < CONSTRAINTS; j++) {
            double g = problem.constraint(j, xStar);
            assertTrue(g <= REFERENCE_TOLERANCE, "x* violates constraint " + j + " by " + g);
            assertTrue(lambdaStar[j] >= 0, "λ*_" + j + " = " + lambdaStar[j]);
            assertEquals(0, lambdaStar[j] * g, REFERENCE_TOLERANCE, "complementarity of constraint " + j);
            if (lambdaStar[j] > 1e-3) {
                assertEquals(0, g, REFERENCE_TOLERANCE, "active constraint " + j);
                active++;
            }
        }
        // not vacuous: x* = 0 (no active constraint) would be found by the unconstrained minimisation too
        assertTrue(active >= 1, "no constraint is active at the optimum");
        assertTrue(active < CONSTRAINTS, "every constraint is active: the clamp at 0 is not exercised");
    }

    // ---- (b) min ‖x‖² s.t. Cx = d ----

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {5, 10})
    void augmentedLagrangianReachesTheMinimumNormPointOfLinearEqualities(int n) {
        MinimumNorm problem = minimumNorm(n, 100 + n);
        // x* = Cᵀ(CCᵀ)⁻¹d; from 2x + Cᵀλ = 0, λ* = −2(CCᵀ)⁻¹d
        double[] y = solve(gram(problem.a()), problem.b());
        double[] xStar = new double[n];
        for (int j = 0; j < CONSTRAINTS; j++) {
            for (int k = 0; k < n; k++) {
                xStar[k] += problem.a()[j][k] * y[j];
            }
        }
        for (int j = 0; j < CONSTRAINTS; j++) {
            assertEquals(0, problem.constraint(j, xStar), REFERENCE_TOLERANCE, "Cx* − d, row " + j);
        }

        double rho = 5;
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(rho), Double.NaN, 0,
                Kind.EQUALITY, new HeapMultipliers(CONSTRAINTS));
        double[] x = methodOfMultipliers(alm, problem, new double[n], problem.step(rho), 30);

        assertEquals(0, distance(x, xStar), ANSWER_TOLERANCE, "‖x − x*‖");
        int negative = 0;
        for (int j = 0; j < CONSTRAINTS; j++) {
            assertEquals(-2 * y[j], alm.multipliers().get(j), ANSWER_TOLERANCE, "λ_" + j);
            negative += y[j] > 0 ? 1 : 0;
        }
        // the multipliers of equalities take both signs here, so the missing clamp is exercised
        assertTrue(negative > 0 && negative < CONSTRAINTS, negative + " negative multipliers");
    }

    // ---- (c) Nocedal & Wright (17.3) ----

    @Test
    void augmentedLagrangianSolvesNocedalWright173() {
        // Solution x* = (−1, −1). Nocedal & Wright write L = f − λc and find ∇f = λ∇c: (1, 1) = λ(−2, −2),
        // λ* = −½. Here the term is ψ = λg + ρg²/2 with g = c − B, so stationarity at g = 0 reads
        // ∇f + λ∇c = (1, 1) + λ(−2, −2) = 0: the method's multiplier is +½, the negative of theirs.
        NocedalWright173 problem = new NocedalWright173();
        double rho = 10;
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(rho), Double.NaN,
                NocedalWright173.BOUND, Kind.EQUALITY, new HeapMultipliers(1));
        // curvature of ℓ + ψ along the way is below 2(λ + ρg) + 4ρ‖x‖² ≈ 110, hence the step 1/150
        double[] x = methodOfMultipliers(alm, problem, new double[]{-1.5, -0.5}, 1.0 / 150, 15);

        assertEquals(-1, x[0], ANSWER_TOLERANCE, "x₁");
        assertEquals(-1, x[1], ANSWER_TOLERANCE, "x₂");
        assertEquals(0.5, alm.multipliers().get(0), ANSWER_TOLERANCE, "λ");
    }

    // ---- (d) the sequential penalty on (a) ----

    @Test
    void sequentialPenaltyApproachesTheMinimumNormPointAsTauGrows() {
        // τ_e = 1, 10, 100, 1000 in epochs 0..3. With the squared hinge, the minimiser x_τ of
        // ‖x‖² + τ Σ_j max(0, g_j)² satisfies 2x + Σ_j 2τ·max(0, g_j)·a_j = 0: the active constraints are violated
        // by about λ*_j/(2τ) and x_τ stays outside the feasible set for every finite τ, at a distance O(1/τ)
        MinimumNorm problem = minimumNorm(10, 10);
        double[] lambdaStar = inequalityMultipliers(problem);
        double[] xStar = minusHalfATransposed(problem.a(), lambdaStar);
        assertOptimal(problem, xStar, lambdaStar);

        PenaltySchedule schedule = new PenaltySchedule(1, 10, 1, 1000);
        PenaltyMethod penalty = PenaltyMethod.sequential(schedule, PenaltyFunction.SQUARED_HINGE, 0);
        double[] x = new double[problem.dimension()];
        SampleBatch batch = new SampleBatch(CONSTRAINTS);
        double previousDistance = Double.POSITIVE_INFINITY;
        double previousViolation = Double.POSITIVE_INFINITY;
        for (int e = 0; e < 4; e++) {
            penalty.beginEpoch(e);
            double tau = penalty.coefficient();
            assertEquals(Math.pow(10, e), tau, 1e-12 * tau);
            // ∇L is (2 + 2τ·6.25)/m-Lipschitz
            minimise(penalty, problem, x, CONSTRAINTS / (2 + 12.5 * tau), batch);
            penalty.endEpoch(e);

            double distance = distance(x, xStar);
            double violation = 0;
            double multiplierError = 0;
            for (int j = 0; j < CONSTRAINTS; j++) {
                double g = Math.max(0, problem.constraint(j, x));
                violation = Math.max(violation, g);
                multiplierError = Math.max(multiplierError, Math.abs(2 * tau * g - lambdaStar[j]));
            }
            assertTrue(distance < previousDistance, "τ = " + tau + ": ‖x − x*‖ = " + distance
                    + " did not shrink from " + previousDistance);
            assertTrue(violation < previousViolation, "τ = " + tau + ": violation " + violation
                    + " did not shrink from " + previousViolation);
            if (e >= 2) {
                // the O(1/τ) rate, neither faster nor slower: τ ten times larger, distance ten times smaller
                // (9.8-fold from τ = 10 to 100, 10.0-fold from 100 to 1000; 8.4-fold from 1 to 10, before the
                // asymptotic regime)
                double ratio = previousDistance / distance;
                assertTrue(ratio > 9 && ratio < 11, "τ = " + tau + ": the distance shrank " + ratio + "-fold");
            }
            // 2τ·max(0, g_j) estimates λ*_j to O(1/τ) (τ·error ≈ 0.04 here)
            assertTrue(tau * multiplierError < 0.1, "τ·max_j |2τg_j⁺ − λ*_j| = " + tau * multiplierError);
            previousDistance = distance;
            previousViolation = violation;
        }
        // approaches but does not reach x*: at τ = 1000 the point is still infeasible (by 1.1e-4; the active λ*_j
        // are 0.008 to 0.21), far above the inner solver's precision
        assertTrue(previousViolation > 1e-5, "violation at τ = 1000: " + previousViolation);
        assertTrue(previousDistance > 1e-5, "‖x − x*‖ at τ = 1000: " + previousDistance);
    }

    // ---- small linear algebra ----

    /** Rows of Gaussian vectors, orthonormalised by Gram–Schmidt (two passes: re-orthogonalisation). */
    static double[][] orthonormalRows(int rows, int n, Random random) {
        double[][] q = new double[rows][n];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < n; k++) {
                q[i][k] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double d = dot(q[i], q[j]);
                    for (int k = 0; k < n; k++) {
                        q[i][k] -= d * q[j][k];
                    }
                }
            }
            scale(q[i], 1 / Math.sqrt(dot(q[i], q[i])));
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                assertEquals(i == j ? 1 : 0, dot(q[i], q[j]), 1e-14, "orthonormality of rows " + i + ", " + j);
            }
        }
        return q;
    }

    /** {@code AAᵀ}. */
    static double[][] gram(double[][] a) {
        double[][] g = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                g[i][j] = dot(a[i], a[j]);
            }
        }
        return g;
    }

    /** {@code −Aᵀλ/2}. */
    static double[] minusHalfATransposed(double[][] a, double[] lambda) {
        double[] x = new double[a[0].length];
        for (int j = 0; j < a.length; j++) {
            for (int k = 0; k < x.length; k++) {
                x[k] -= a[j][k] * lambda[j] / 2;
            }
        }
        return x;
    }

    /** Solves {@code Mz = r} by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] m, double[] r) {
        int n = r.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = Arrays.copyOf(m[i], n + 1);
            a[i][n] = r[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int row = col + 1; row < n; row++) {
                double f = a[row][col] / a[col][col];
                for (int k = col; k <= n; k++) {
                    a[row][k] -= f * a[col][k];
                }
            }
        }
        double[] z = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double s = a[row][n];
            for (int k = row + 1; k < n; k++) {
                s -= a[row][k] * z[k];
            }
            z[row] = s / a[row][row];
        }
        return z;
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s;
    }

    static double distance(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += (u[k] - v[k]) * (u[k] - v[k]);
        }
        return Math.sqrt(s);
    }

    static void scale(double[] v, double factor) {
        for (int k = 0; k < v.length; k++) {
            v[k] *= factor;
        }
    }

    static void scale(double[][] m, double factor) {
        for (double[] row : m) {
            scale(row, factor);
        }
    }
}
