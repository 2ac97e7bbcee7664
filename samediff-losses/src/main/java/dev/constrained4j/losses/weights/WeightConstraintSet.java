package dev.constrained4j.losses.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weight constraints on named parameter arrays ({@code l0_W}, {@code conv1_W}, ...): the violation vector
 * {@code C(θ) = [C_1(θ), ..., C_m(θ)]} with one entry per (parameter, constraint) pair in the order they were added,
 * each named {@code parameter/kind} (e.g. {@code conv1_W/orth}); the gradient combination {@code Σ_i v_i ∇C_i(θ)} a
 * constrained optimiser asks for; and seed 002's constraint-violation metrics (§4.3):
 *
 * <pre>  CV_p = (Σ_i |C_i|^p)^{1/p}  (p = 1, 2; p = ∞: max_i |C_i|),    CV(e) = CV_e / CV_0</pre>
 *
 * {@code CV(−1)}, "the constraint violation at the end of training relative to the initialisation", is
 * {@link #relativeViolation} of the last and the initial {@code C} with {@code p = 2} ({@link #DEFAULT_P}): seed 002
 * follows its references [13] and [4] in taking {@code p = 2}, and reports {@code CV_{p=2}} beside it. Every
 * {@code C_i ≥ 0} ({@link WeightConstraint}), so {@code |C_i| = C_i}. Immutable.
 */
public final class WeightConstraintSet {

    /** The p of {@code CV(−1)} in seed 002's tables. */
    public static final double DEFAULT_P = 2.0;

    /** One constraint on one parameter array. */
    public record Entry(String parameter, WeightConstraint constraint) {

        public Entry {
            Objects.requireNonNull(parameter, "parameter");
            Objects.requireNonNull(constraint, "constraint");
        }

        /** {@code parameter/kind}. */
        public String name() {
            return parameter + "/" + constraint.kind();
        }
    }

    private final List<Entry> entries;

    private WeightConstraintSet(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a weight-constraint set needs at least one constraint");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("constraint " + e.name() + " appears twice");
            }
        }
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link Entry}s in order. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /** Adds {@code constraint} on the parameter {@code parameter}. */
        public Builder add(String parameter, WeightConstraint constraint) {
            entries.add(new Entry(parameter, constraint));
            return this;
        }

        /** Adds {@code constraint} on each of {@code parameters}. */
        public Builder addAll(List<String> parameters, WeightConstraint constraint) {
            parameters.forEach(p -> add(p, constraint));
            return this;
        }

        public WeightConstraintSet build() {
            return new WeightConstraintSet(entries);
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    /** m, the length of {@code C(θ)}. */
    public int size() {
        return entries.size();
    }

    /** The names of the entries of {@code C(θ)}, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(entries.size());
        entries.forEach(e -> names.add(e.name()));
        return Collections.unmodifiableList(names);
    }

    /** The kind of entry {@code i} ({@link WeightConstraint#kind()}). */
    public String kind(int i) {
        return entries.get(i).constraint().kind();
    }

    /** The kinds present, in order of first appearance. */
    public Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>();
        entries.forEach(e -> kinds.add(e.constraint().kind()));
        return Collections.unmodifiableSet(kinds);
    }

    /** The constraints on each constrained parameter, in order. */
    public Map<String, List<WeightConstraint>> byParameter() {
        Map<String, List<WeightConstraint>> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            map.computeIfAbsent(e.parameter(), k -> new ArrayList<>()).add(e.constraint());
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(map);
    }

    /** {@code C(θ)}, one value per entry. */
    public double[] values(Map<String, INDArray> parameters) {
        double[] c = new double[entries.size()];
        for (int i = 0; i < c.length; i++) {
            Entry e = entries.get(i);
            c[i] = e.constraint().value(parameter(parameters, e.parameter()));
        }
        return c;
    }

    /**
     * Adds {@code Σ_i v_i ∇C_i(θ)} into {@code gradients} in place (entries with {@code v_i = 0} cost nothing).
     *
     * @throws IllegalArgumentException if a constrained parameter has no gradient array, or {@code weights} has
     *                                  another length than {@link #size()}
     */
    public void accumulateGradient(Map<String, INDArray> parameters, double[] weights,
                                   Map<String, INDArray> gradients) {
        if (weights.length != entries.size()) {
            throw new IllegalArgumentException(weights.length + " constraint weights for " + entries.size()
                    + " constraints");
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            Entry e = entries.get(i);
            INDArray g = gradients.get(e.parameter());
            if (g == null) {
                throw new IllegalArgumentException("no gradient array for constrained parameter '" + e.parameter()
                        + "'; pass one for every parameter of the constraint set");
            }
            INDArray cg = e.constraint().gradient(parameter(parameters, e.parameter())).muli(weights[i]);
            g.addi(cg.castTo(g.dataType()).reshape(g.shape()));
        }
    }

    /** {@code ‖C‖₂² = Σ_i C_i²}, the quantity of seed 002 Algorithm 2's tests. */
    public static double squaredNorm(double[] c) {
        double s = 0;
        for (double v : c) {
            s += v * v;
        }
        return s;
    }

    /** {@code CV_p = (Σ_i |C_i|^p)^{1/p}}; {@code p = ∞} gives {@code max_i |C_i|}. */
    public static double violation(double[] c, double p) {
        if (!(p >= 1)) {
            throw new IllegalArgumentException("CV_p needs p >= 1 (or infinity), got " + p);
        }
        if (Double.isInfinite(p)) {
            double max = 0;
            for (double v : c) {
                max = Math.max(max, Math.abs(v));
            }
            return max;
        }
        double s = 0;
        for (double v : c) {
            s += Math.pow(Math.abs(v), p);
        }
        return Math.pow(s, 1.0 / p);
    }

    /**
     * {@code CV(e) = CV_p(C_e) / CV_p(C_0)} (seed 002 eq. 18); {@code CV(−1)} with the last {@code C}. NaN when the
     * initial violation is 0 (no progress can be measured from a feasible start).
     */
    public static double relativeViolation(double[] end, double[] initial, double p) {
        double start = violation(initial, p);
        return start == 0 ? Double.NaN : violation(end, p) / start;
    }

    private static INDArray parameter(Map<String, INDArray> parameters, String name) {
        INDArray w = parameters.get(name);
        if (w == null) {
            throw new IllegalArgumentException("constrained parameter '" + name + "' is not among the parameters "
                    + parameters.keySet());
        }
        return w;
    }
}
