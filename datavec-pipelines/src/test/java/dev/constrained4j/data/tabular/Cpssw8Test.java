package dev.constrained4j.data.tabular;

import static dev.constrained4j.data.tabular.TabularFiles.assertMessage;
import static dev.constrained4j.data.tabular.TabularFiles.gzip;
import static dev.constrained4j.data.tabular.TabularFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading CPSSW8: the shipped file's known counts, features and labels, and a one-line error for each bad input. */
class Cpssw8Test {

    /** The shipped file, relative to the module directory (surefire's working directory). */
    static final Path SHIPPED = Path.of("../data/cpssw8/cpssw8.csv.gz");
    static final String HEADER = "earnings,gender,age,region,education\n";
    // 8 rows, two per region; sorted earnings 5 10 15 20 25 30 40 50, median (20 + 25) / 2 = 22.5, so the rows
    // earning 30, 40, 50 and 25 (lines 4, 5, 7, 9) are labelled 1
    static final String TINY = HEADER
            + "10,female,30,Northeast,12\n"
            + "20,male,40,Northeast,16\n"
            + "30,female,50,Midwest,12\n"
            + "40,male,25,Midwest,14\n"
            + "5,female,35,South,10\n"
            + "50,male,45,South,18\n"
            + "15,female,28,West,12\n"
            + "25,male,33,West,13\n";

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void shippedFileHasTheKnownCountsByRegion() {
        TabularData data = Cpssw8.load(SHIPPED, "region", true);
        assertEquals(61_395, data.rows());
        assertEquals(Cpssw8.REGIONS, data.groupNames());
        assertArrayEquals(new int[]{12_371, 15_136, 18_963, 14_925}, data.groupSizes());
        // median 16.25; 30,694 of 61,395 rows earn strictly more (checked with Python's statistics.median)
        assertEquals(0.49994, data.positiveRate(), 1e-4);
        assertEquals(List.of("male", "age", "education", "region_northeast", "region_midwest", "region_south",
                "region_west"), data.featureNames());
        // line 2 of the file: 20.67307663,male,31,South,14
        assertArrayEquals(new double[]{1, 31, 14, 0, 0, 1, 0}, row(data, 0));
        assertEquals(2, data.group(0));
        assertEquals(1, data.label(0));
        for (int r = 0; r < data.rows(); r++) {
            double[] x = row(data, r);
            assertEquals(1, x[3] + x[4] + x[5] + x[6], "one-hot region of row " + r);
            assertEquals(1, x[3 + data.group(r)], "region column of row " + r);
        }
    }

    @Test
    void shippedFileWithProtectedColumnsDropped() {
        TabularData byRegion = Cpssw8.load(SHIPPED, "region", false);
        assertEquals(List.of("male", "age", "education"), byRegion.featureNames());
        TabularData byGender = Cpssw8.load(SHIPPED, "gender", false);
        assertEquals(List.of("age", "education", "region_northeast", "region_midwest", "region_south",
                "region_west"), byGender.featureNames());
        assertEquals(Cpssw8.GENDERS, byGender.groupNames());
        assertArrayEquals(new int[]{27_047, 34_348}, byGender.groupSizes());
        assertArrayEquals(byRegion.labels(), byGender.labels(), "the label does not depend on the attribute");
        assertEquals(7, Cpssw8.load(SHIPPED, "gender", true).width());
    }

    @Test
    void tinyFileFeaturesLabelsAndGroups() throws IOException {
        // gzip is detected from the content, so a gzipped file without ".gz" reads like the plain one
        for (Path file : List.of(write("tiny.csv", utf8(TINY)), write("tiny-gzipped", gzip(utf8(TINY))))) {
            TabularData data = Cpssw8.load(file, "gender", false);
            assertArrayEquals(new int[]{0, 0, 1, 1, 0, 1, 0, 1}, data.labels(), file.toString());
            assertArrayEquals(new int[]{0, 1, 0, 1, 0, 1, 0, 1}, data.groups());
            assertArrayEquals(new double[]{50, 12, 0, 1, 0, 0}, row(data, 2));
            assertEquals("gender", data.protectedAttribute());
        }
        TabularData byRegion = Cpssw8.load(write("tiny.csv", utf8(TINY)), "region", false);
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3}, byRegion.groups());
        assertArrayEquals(new double[]{1, 25, 14}, row(byRegion, 3));
    }

    @Test
    void labelIsStrictlyAboveTheMedian() throws IOException {
        // earnings 10 20 20 30: median 20, so only 30 is above it
        Path file = write("ties.csv", utf8(HEADER + "10,female,30,South,12\n20,male,30,South,12\n"
                + "20,female,30,South,12\n30,male,30,South,12\n"));
        assertArrayEquals(new int[]{0, 0, 0, 1}, Cpssw8.load(file, "gender", true).labels());
        assertEquals(2, Cpssw8.median(new double[]{3, 1, 2}));
        assertEquals(2.5, Cpssw8.median(new double[]{4, 1, 3, 2}));
    }

    @Test
    void unknownProtectedAttributeNamesTheAcceptedOnes() throws IOException {
        Path file = write("tiny.csv", utf8(TINY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cpssw8.load(file, "age", true));
        assertTrue(e.getMessage().contains("'region' or 'gender'") && e.getMessage().contains("'age'"),
                e.getMessage());
    }

    /** A broken file and what the error message must say besides the file name. */
    record Broken(String name, byte[] content, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Broken broken(String name, String content, String... fragments) {
        return new Broken(name, utf8(content), List.of(fragments));
    }

    static Stream<Broken> broken() {
        byte[] good = gzip(utf8(TINY));
        // a gzip header (magic, deflate, no flags, mtime, xfl, os), then 0xFF bytes: a deflate block of the
        // reserved type 3
        byte[] corrupt = Arrays.copyOf(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 40);
        Arrays.fill(corrupt, 10, 40, (byte) 0xFF);
        String row2 = "10,female,30,Northeast,12\n";
        String rest = TINY.substring(HEADER.length() + row2.length());
        return Stream.of(
                broken("empty file", "", "is empty"),
                new Broken("empty gzip", gzip(new byte[0]), List.of("is empty")),
                new Broken("gzip cut short", Arrays.copyOf(good, good.length / 2), List.of("truncated gzip")),
                new Broken("corrupt gzip", corrupt, List.of("corrupt gzip")),
                new Broken("binary, not gzip", new byte[]{0, (byte) 0xFF, (byte) 0xFE, 7, (byte) 0xC3},
                        List.of("not UTF-8")),
                broken("columns swapped", "gender,earnings,age,region,education\n" + row2 + rest,
                        ":1: header is 'gender,earnings", "expected 'earnings,gender,age,region,education'"),
                broken("header only", HEADER, "has a header but no rows"),
                broken("too few cells", HEADER + "10,female,30,Northeast\n" + rest, ":2: has 4 cells, expected 5"),
                broken("too many cells", HEADER + row2 + "10,female,30,Northeast,12,7\n" + rest,
                        ":3: has 6 cells, expected 5"),
                broken("non-numeric earnings", HEADER + row2 + "abc,male,40,Northeast,16\n" + rest,
                        ":3: earnings 'abc' is not a number"),
                broken("NaN earnings", HEADER + "NaN,female,30,Northeast,12\n" + rest, ":2: earnings 'NaN'"),
                broken("negative earnings", HEADER + "-1.5,female,30,Northeast,12\n" + rest,
                        ":2: earnings '-1.5' is negative"),
                broken("negative age", HEADER + "10,female,-3,Northeast,12\n" + rest, ":2: age '-3' is negative"),
                broken("non-numeric age", HEADER + "10,female,thirty,Northeast,12\n" + rest,
                        ":2: age 'thirty' is not a number"),
                broken("non-numeric education", HEADER + "10,female,30,Northeast,\n" + rest,
                        ":2: education '' is not a number"),
                broken("unknown gender", HEADER + "10,Female,30,Northeast,12\n" + rest,
                        ":2: gender 'Female' is not one of [female, male]"),
                broken("unknown region", HEADER + "10,female,30,Southwest,12\n" + rest,
                        ":2: region 'Southwest' is not one of [Northeast, Midwest, South, West]"),
                broken("one row in a group", TINY.substring(0, TINY.length() - "25,male,33,West,13\n".length()),
                        "region group West has 1 rows, at least 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFileGivesAOneLineMessageNamingFileProblemAndFix(Broken b) throws IOException {
        Path file = write("cpssw8.csv.gz", b.content());
        DataException e = assertThrows(DataException.class, () -> Cpssw8.load(file, "region", true));
        assertMessage(e, file, b.fragments());
        assertMessage(e, file, List.of("scripts/make-cpssw8-data.sh"));
    }

    @Test
    void missingFileNamesTheScriptThatRebuildsIt() {
        for (Path file : List.of(dir.resolve("no-such-cpssw8.csv.gz"), dir)) {
            DataException e = assertThrows(DataException.class, () -> Cpssw8.load(file, "gender", true));
            assertMessage(e, file, List.of("not found", "scripts/make-cpssw8-data.sh"));
        }
    }

    private static double[] row(TabularData data, int r) {
        double[] x = new double[data.width()];
        for (int c = 0; c < x.length; c++) {
            x[c] = data.feature(r, c);
        }
        return x;
    }
}
