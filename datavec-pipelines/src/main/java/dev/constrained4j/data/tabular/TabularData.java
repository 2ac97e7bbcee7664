package dev.constrained4j.data.tabular;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A table for fair binary classification: numeric features, a 0/1 label and a protected group per row. Immutable
 * (arrays are copied in and out) and validated on construction; loaders ({@link Cpssw8}, {@link AcsIncome}) make
 * it, {@link StratifiedSplit}, {@link Standardizer} and {@link GroupBalancedSampler} consume it.
 */
public final class TabularData {

    private final double[] features;
    private final List<String> featureNames;
    private final int[] labels;
    private final int[] groups;
    private final List<String> groupNames;
    private final String protectedAttribute;

    /**
     * @param features           row-major values, {@code rows × width}, all finite
     * @param featureNames       one distinct, non-blank name per column; {@code width = featureNames.size() ≥ 1}
     * @param labels             one label per row, each 0 or 1; {@code rows = labels.length}
     * @param groups             one protected group per row, each in {@code 0..groupNames.size()-1}
     * @param groupNames         the distinct, non-blank names of the groups, indexed by group
     * @param protectedAttribute the name of the attribute the groups come from (e.g. "region")
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public TabularData(double[] features, List<String> featureNames, int[] labels, int[] groups,
                       List<String> groupNames, String protectedAttribute) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(protectedAttribute, "protectedAttribute");
        this.featureNames = distinctNames("featureNames", featureNames);
        this.groupNames = distinctNames("groupNames", groupNames);
        if (protectedAttribute.isBlank()) {
            throw new IllegalArgumentException("protectedAttribute must not be blank");
        }
        int rows = labels.length;
        int width = this.featureNames.size();
        if (groups.length != rows) {
            throw new IllegalArgumentException("groups has " + groups.length + " entries but labels has " + rows);
        }
        if ((long) rows * width != features.length) {
            throw new IllegalArgumentException("features has " + features.length + " values, expected rows × width = "
                    + rows + " × " + width + " = " + (long) rows * width);
        }
        for (int row = 0; row < rows; row++) {
            if (labels[row] != 0 && labels[row] != 1) {
                throw new IllegalArgumentException("labels[" + row + "] = " + labels[row] + ", expected 0 or 1");
            }
            if (groups[row] < 0 || groups[row] >= this.groupNames.size()) {
                throw new IllegalArgumentException("groups[" + row + "] = " + groups[row] + ", expected 0.."
                        + (this.groupNames.size() - 1) + " (one of " + this.groupNames + ")");
            }
        }
        for (int i = 0; i < features.length; i++) {
            if (!Double.isFinite(features[i])) {
                throw new IllegalArgumentException("features[row " + i / width + ", column "
                        + this.featureNames.get(i % width) + "] = " + features[i] + ", expected a finite value");
            }
        }
        this.features = features.clone();
        this.labels = labels.clone();
        this.groups = groups.clone();
        this.protectedAttribute = protectedAttribute;
    }

    private static List<String> distinctNames(String field, List<String> names) {
        Objects.requireNonNull(names, field);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        HashSet<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(field + " contains a null or blank name: " + names);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(field + " contains '" + name + "' twice: " + names);
            }
        }
        return List.copyOf(names);
    }

    /** The number of rows. */
    public int rows() {
        return labels.length;
    }

    /** The number of feature columns. */
    public int width() {
        return featureNames.size();
    }

    /** The number of protected groups (some may have no rows in a subset). */
    public int groupCount() {
        return groupNames.size();
    }

    /** The feature in {@code row}, {@code col}. */
    public double feature(int row, int col) {
        Objects.checkIndex(row, rows());
        Objects.checkIndex(col, width());
        return features[row * width() + col];
    }

    /** A copy of the features, row-major. */
    public double[] features() {
        return features.clone();
    }

    /** The column names, in column order (unmodifiable). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The label (0 or 1) of {@code row}. */
    public int label(int row) {
        return labels[Objects.checkIndex(row, rows())];
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The group of {@code row}. */
    public int group(int row) {
        return groups[Objects.checkIndex(row, rows())];
    }

    /** A copy of the groups. */
    public int[] groups() {
        return groups.clone();
    }

    /** The group names, indexed by group (unmodifiable). */
    public List<String> groupNames() {
        return groupNames;
    }

    /** The attribute the groups come from. */
    public String protectedAttribute() {
        return protectedAttribute;
    }

    /**
     * The given rows, in the given order, as new data with the same columns and groups; a row may repeat.
     *
     * @throws IndexOutOfBoundsException if a row is not in {@code 0..rows()-1}
     */
    public TabularData subset(int[] rows) {
        int width = width();
        double[] x = new double[rows.length * width];
        int[] y = new int[rows.length];
        int[] g = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int row = Objects.checkIndex(rows[i], rows());
            System.arraycopy(features, row * width, x, i * width, width);
            y[i] = labels[row];
            g[i] = groups[row];
        }
        return new TabularData(x, featureNames, y, g, groupNames, protectedAttribute);
    }

    /** The same rows, labels and groups with other features of the same width (e.g. standardised). */
    public TabularData withFeatures(double[] newFeatures) {
        return new TabularData(newFeatures, featureNames, labels, groups, groupNames, protectedAttribute);
    }

    /** The number of rows in each group, indexed by group. */
    public int[] groupSizes() {
        int[] sizes = new int[groupCount()];
        for (int g : groups) {
            sizes[g]++;
        }
        return sizes;
    }

    /** The fraction of rows labelled 1; NaN when there are no rows. */
    public double positiveRate() {
        return (double) Arrays.stream(labels).sum() / rows();
    }

    /** The rows of group {@code g}, in increasing order. */
    public int[] rowsOfGroup(int g) {
        Objects.checkIndex(g, groupCount());
        int[] rows = new int[groupSizes()[g]];
        int k = 0;
        for (int row = 0; row < groups.length; row++) {
            if (groups[row] == g) {
                rows[k++] = row;
            }
        }
        return rows;
    }

    @Override
    public String toString() {
        return "TabularData[" + rows() + " rows × " + featureNames + ", groups of " + protectedAttribute + " "
                + groupNames + " sizes " + Arrays.toString(groupSizes()) + ", positive rate " + positiveRate() + "]";
    }
}
