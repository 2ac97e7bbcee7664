package dev.constrained4j.data.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The table's accessors, subsets, group statistics and the validation of every field. */
class TabularDataTest {

    // 4 rows × 2 columns; groups a, b, a, b; labels 1, 0, 0, 1
    static final double[] X = {1, 10, 2, 20, 3, 30, 4, 40};
    static final List<String> NAMES = List.of("x", "y");
    static final int[] Y = {1, 0, 0, 1};
    static final int[] G = {0, 1, 0, 1};
    static final List<String> GROUPS = List.of("a", "b");

    static TabularData table() {
        return new TabularData(X, NAMES, Y, G, GROUPS, "letter");
    }

    @Test
    void accessorsAndStatistics() {
        TabularData data = table();
        assertEquals(4, data.rows());
        assertEquals(2, data.width());
        assertEquals(2, data.groupCount());
        assertEquals(30, data.feature(2, 1));
        assertArrayEquals(new int[]{2, 2}, data.groupSizes());
        assertEquals(0.5, data.positiveRate());
        assertArrayEquals(new int[]{1, 3}, data.rowsOfGroup(1));
        assertEquals("letter", data.protectedAttribute());
        assertThrows(IndexOutOfBoundsException.class, () -> data.feature(4, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> data.rowsOfGroup(2));
    }

    @Test
    void isImmutable() {
        double[] x = X.clone();
        TabularData data = new TabularData(x, NAMES, Y, G, GROUPS, "letter");
        x[0] = 99;
        data.features()[0] = 99;
        data.labels()[0] = 0;
        assertEquals(1, data.feature(0, 0));
        assertEquals(1, data.label(0));
        assertThrows(UnsupportedOperationException.class, () -> data.featureNames().add("z"));
    }

    @Test
    void subsetKeepsTheGivenOrderAndAllowsRepeats() {
        TabularData sub = table().subset(new int[]{3, 0, 3});
        assertEquals(3, sub.rows());
        assertArrayEquals(new double[]{4, 40, 1, 10, 4, 40}, sub.features());
        assertArrayEquals(new int[]{1, 1, 1}, sub.labels());
        assertArrayEquals(new int[]{1, 0, 1}, sub.groups());
        assertEquals(GROUPS, sub.groupNames());
        assertArrayEquals(new int[]{1, 2}, sub.groupSizes());
        assertThrows(IndexOutOfBoundsException.class, () -> table().subset(new int[]{4}));
        assertTrue(Double.isNaN(table().subset(new int[0]).positiveRate()));
    }

    /** A constructor call with one bad field, and what the message must say. */
    record Bad(String name, Supplier<TabularData> make, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void everyFieldIsValidatedWithAMessageNamingIt() {
        List<Bad> cases = List.of(
                new Bad("label 2", () -> new TabularData(X, NAMES, new int[]{1, 2, 0, 1}, G, GROUPS, "l"),
                        "labels[1] = 2"),
                new Bad("group 2", () -> new TabularData(X, NAMES, Y, new int[]{0, 1, 2, 0}, GROUPS, "l"),
                        "groups[2] = 2"),
                new Bad("negative group", () -> new TabularData(X, NAMES, Y, new int[]{0, -1, 0, 0}, GROUPS, "l"),
                        "groups[1] = -1"),
                new Bad("short features", () -> new TabularData(new double[7], NAMES, Y, G, GROUPS, "l"),
                        "features has 7 values"),
                new Bad("groups length", () -> new TabularData(X, NAMES, Y, new int[]{0, 1, 0}, GROUPS, "l"),
                        "groups has 3 entries"),
                new Bad("NaN feature", () -> new TabularData(new double[]{1, 1, 1, Double.NaN, 1, 1, 1, 1}, NAMES, Y,
                        G, GROUPS, "l"), "features[row 1, column y] = NaN"),
                new Bad("duplicate feature name", () -> new TabularData(X, List.of("x", "x"), Y, G, GROUPS, "l"),
                        "featureNames contains 'x' twice"),
                new Bad("no groups", () -> new TabularData(X, NAMES, Y, G, List.of(), "l"),
                        "groupNames must not be empty"),
                new Bad("blank attribute", () -> new TabularData(X, NAMES, Y, G, GROUPS, " "),
                        "protectedAttribute"));
        for (Bad bad : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad.make()::get, bad.name());
            assertTrue(e.getMessage().contains(bad.fragment()), bad.name() + ": " + e.getMessage());
        }
    }
}
