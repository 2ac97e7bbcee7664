package dev.constrained4j.data.tabular;

import static dev.constrained4j.data.tabular.TabularFiles.assertMessage;
import static dev.constrained4j.data.tabular.TabularFiles.gzip;
import static dev.constrained4j.data.tabular.TabularFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Loading ACSIncome CSVs: column order, folktables' filter, the label threshold, MAR groups, and bad inputs. */
class AcsIncomeTest {

    static final List<String> WITHOUT_MAR =
            List.of("AGEP", "COW", "SCHL", "OCCP", "POBP", "RELP", "WKHP", "SEX", "RAC1P");

    // columns shuffled, with pandas' unnamed index column and two extra columns (ST ignored, PWGTP filtered on)
    static final String INCOMES = ",PINCP,SEX,AGEP,RAC1P,COW,SCHL,MAR,OCCP,POBP,RELP,WKHP,ST,PWGTP\n"
            + "0,60000,1,30,1,1,21,1,1021,6,0,40,6,12\n"    // kept, label 1
            + "1,50000,2,40,2,2,16,1,4720,36,1,38,6,7\n"    // kept, label 0: not strictly above 50,000
            + "2,50001,1,70,1,1,18,2,800,6,0,20,6,3\n"      // kept, label 1
            + "3,120,2,65,1,1,18,2,800,6,0,20,6,3\n"        // kept, label 0: PINCP 120 passes PINCP > 100
            + "4,20000,1,45,1,1,18,3,800,6,0,20,6,3\n"
            + "5,90000,2,50,1,1,18,3,800,6,0,20,6,3\n"
            + "6,30000,1,45,1,1,18,4,800,6,0,20,6,3\n"
            + "7,30000,2,50,1,1,18,4,800,6,0,20,6,3\n"
            + "8,15000,1,45,1,1,18,5,800,6,0,20,6,3\n"
            + "9,75000,2,50,1,1,18,5,800,6,0,20,6,3\n"
            + "10,80000,1,16,1,1,18,5,800,6,0,20,6,3\n"     // dropped: AGEP 16
            + "11,80000,1,45,1,1,18,5,800,6,0,0,6,3\n"      // dropped: WKHP 0
            + "12,100,1,45,1,1,18,5,800,6,0,20,6,3\n"       // dropped: PINCP 100
            + "13,80000,1,45,1,,18,5,800,6,0,,6,3\n"        // dropped: WKHP missing (NaN in pandas)
            + "14,80000,1,45,1,1,18,5,800,6,0,20,6,0\n";    // dropped: PWGTP 0

    // as df_to_pandas writes it: floats, and PINCP the thresholded label
    static final String LABELS = "AGEP,COW,SCHL,MAR,OCCP,POBP,RELP,WKHP,SEX,RAC1P,PINCP\n"
            + "30.0,1.0,21.0,1.0,1021.0,6.0,0.0,40.0,1.0,1.0,True\n"
            + "40.0,2.0,16.0,1.0,4720.0,36.0,1.0,38.0,2.0,2.0,False\n"
            + "16.0,2.0,16.0,1.0,4720.0,36.0,1.0,38.0,2.0,2.0,True\n"  // dropped: AGEP 16
            + "70.0,1.0,18.0,2.0,800.0,6.0,0.0,20.0,1.0,1.0,False\n"
            + "65.0,1.0,18.0,2.0,800.0,6.0,0.0,20.0,1.0,1.0,True\n"
            + "45.0,1.0,18.0,3.0,800.0,6.0,0.0,20.0,1.0,1.0,False\n"
            + "50.0,1.0,18.0,3.0,800.0,6.0,0.0,20.0,1.0,1.0,False\n"
            + "45.0,1.0,18.0,4.0,800.0,6.0,0.0,20.0,1.0,1.0,True\n"
            + "50.0,1.0,18.0,4.0,800.0,6.0,0.0,20.0,1.0,1.0,True\n"
            + "45.0,1.0,18.0,5.0,800.0,6.0,0.0,20.0,1.0,1.0,False\n"
            + "50.0,1.0,18.0,5.0,800.0,6.0,0.0,20.0,1.0,1.0,True\n";

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void incomesAreFilteredAndThresholded() throws IOException {
        TabularData data = AcsIncome.load(write("acs.csv", utf8(INCOMES)), false);
        assertEquals(10, data.rows());
        assertArrayEquals(new int[]{1, 0, 1, 0, 0, 1, 0, 0, 0, 1}, data.labels());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, data.groups());
        assertEquals(List.of("married", "widowed", "divorced", "separated", "never married"), data.groupNames());
        assertEquals("MAR", data.protectedAttribute());
        assertEquals(WITHOUT_MAR, data.featureNames());
        // line 3: PINCP 50000, SEX 2, AGEP 40, RAC1P 2, COW 2, SCHL 16, MAR 1, OCCP 4720, POBP 36, RELP 1, WKHP 38
        assertArrayEquals(new double[]{40, 2, 16, 4720, 36, 1, 38, 2, 2}, row(data, 1));
    }

    @Test
    void keptMarIsAFeatureInFolktablesOrder() throws IOException {
        TabularData data = AcsIncome.load(write("acs.csv.gz", gzip(utf8(INCOMES))), true);
        assertEquals(List.of("AGEP", "COW", "SCHL", "MAR", "OCCP", "POBP", "RELP", "WKHP", "SEX", "RAC1P"),
                data.featureNames());
        for (int r = 0; r < data.rows(); r++) {
            assertEquals(data.group(r) + 1, data.feature(r, 3), "MAR code of row " + r);
        }
    }

    @Test
    void thresholdedLabelIsUsedDirectly() throws IOException {
        int[] expected = {1, 0, 0, 1, 0, 0, 1, 1, 0, 1};
        TabularData words = AcsIncome.load(write("labels.csv", utf8(LABELS)), false);
        assertArrayEquals(expected, words.labels());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, words.groups());
        assertArrayEquals(new double[]{30, 1, 21, 1021, 6, 0, 40, 1, 1}, row(words, 0));
        String digits = LABELS.replace(",True", ",1").replace(",False", ",0");
        assertArrayEquals(expected, AcsIncome.load(write("digits.csv", utf8(digits)), false).labels());
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
        String header = LABELS.substring(0, LABELS.indexOf('\n') + 1);
        String first = LABELS.substring(header.length(), LABELS.indexOf('\n', header.length()) + 1);
        String rest = LABELS.substring(header.length() + first.length());
        byte[] good = gzip(utf8(INCOMES));
        return Stream.of(
                broken("empty file", "\n\n", "is empty"),
                new Broken("gzip cut short", Arrays.copyOf(good, good.length - 12), List.of("truncated gzip")),
                broken("missing columns", header.replace("MAR", "MARHT").replace("PINCP", "INCOME") + first + rest,
                        ":1: header lacks columns MAR, PINCP", "AGEP,COW,SCHL,MAR,OCCP,POBP,RELP,WKHP,SEX,RAC1P,PINCP"),
                broken("duplicate column", header.replace("\n", ",AGEP\n") + first.replace("\n", ",1\n"),
                        ":1: header has column AGEP twice"),
                broken("wrong number of cells", header + first.replace(",1021.0", "") + rest,
                        ":2: has 10 cells, expected 11"),
                broken("non-numeric cell", header + first + rest.replace("70.0,1.0,18.0", "70.0,1.0,BA"),
                        ":5: SCHL 'BA' is not a number"),
                broken("empty cell in a kept row", header + first.replace("30.0,1.0,", "30.0,,") + rest,
                        ":2: COW '' is not a number"),
                broken("MAR code 6", header + first.replace("21.0,1.0,", "21.0,6.0,") + rest,
                        ":2: MAR '6.0' is not a marital-status code 1..5"),
                broken("labels mixed with incomes", header + first + rest.replaceFirst(",False\n", ",52000\n"),
                        ":3: PINCP '52000' is an income but line 2 holds a True/False label"),
                broken("PINCP neither", header + first.replace(",True", ",yes") + rest,
                        ":2: PINCP 'yes' is neither an income nor a True/False label"),
                broken("nothing passes the filter", header + first.replace("30.0,", "15.0,"),
                        "no row is left after folktables' ACSIncome filter (AGEP > 16, WKHP > 0)"),
                broken("one row in a group", header + first + rest.substring(0, rest.lastIndexOf("50.0,")),
                        "MAR group 5 (never married) has 1 rows after the filter, at least 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFileGivesAOneLineMessageNamingFileProblemAndFix(Broken b) throws IOException {
        Path file = write("acs-income.csv", b.content());
        DataException e = assertThrows(DataException.class, () -> AcsIncome.load(file, true));
        assertMessage(e, file, b.fragments());
        assertMessage(e, file, List.of("folktables"));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("no-such-acs.csv");
        DataException e = assertThrows(DataException.class, () -> AcsIncome.load(file, false));
        assertMessage(e, file, List.of("ACSIncome file not found"));
    }

    private static double[] row(TabularData data, int r) {
        double[] x = new double[data.width()];
        for (int c = 0; c < x.length; c++) {
            x[c] = data.feature(r, c);
        }
        return x;
    }
}
