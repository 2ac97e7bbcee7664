package dev.constrained4j.data.tabular;

import dev.constrained4j.data.DataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loader of CPSSW8, the US Current Population Survey extract of 61,395 workers (1992-2004) from the R package AER
 * (Kleiber and Zeileis, GPL-2+; data of Stock and Watson, "Introduction to Econometrics"), as the gzip CSV
 * {@code data/cpssw8/cpssw8.csv.gz} that {@code scripts/make-cpssw8-data.sh} writes:
 * {@code earnings,gender,age,region,education}, e.g. {@code 20.67307663,male,31,South,14}.
 *
 * <p>The label is 1 when hourly earnings are strictly above their median over all rows of the file. The features
 * are {@code male} (1/0), {@code age}, {@code education} and the region one-hot {@code region_northeast},
 * {@code region_midwest}, {@code region_south}, {@code region_west}. The protected attribute is {@code region}
 * (groups Northeast, Midwest, South, West) or {@code gender} (female, male); its columns can be left out of the
 * features, as the seed paper does, or kept (on CPSSW8 the other features carry little of the group difference).
 */
public final class Cpssw8 {

    /** The header the file must have, in this order. */
    public static final List<String> HEADER = List.of("earnings", "gender", "age", "region", "education");
    /** The protected attribute of the four US Census regions. */
    public static final String REGION = "region";
    /** The protected attribute of gender. */
    public static final String GENDER = "gender";
    /** The region groups, in group order (as the factor levels of AER). */
    public static final List<String> REGIONS = List.of("Northeast", "Midwest", "South", "West");
    /** The gender groups, in group order. */
    public static final List<String> GENDERS = List.of("female", "male");

    private static final String FIX = "re-create it with scripts/make-cpssw8-data.sh";
    private static final int EARNINGS = 0;
    private static final int GENDER_CELL = 1;
    private static final int AGE = 2;
    private static final int REGION_CELL = 3;
    private static final int EDUCATION = 4;
    private static final int MIN_ROWS_PER_GROUP = 2;

    private Cpssw8() {
    }

    /**
     * Reads the CSV (gzip or plain text, told apart by the first bytes).
     *
     * @param csvOrCsvGz         the file, usually {@code data/cpssw8/cpssw8.csv.gz}
     * @param protectedAttribute {@value #REGION} or {@value #GENDER}
     * @param keepProtected      whether the protected attribute's columns stay in the features
     * @throws IllegalArgumentException if {@code protectedAttribute} is neither
     * @throws DataException            with a one-line message naming the file, the line and the fix, if the file
     *                                  is missing, corrupt, of another layout, holds a bad value, or leaves a group
     *                                  with fewer than two rows
     */
    public static TabularData load(Path csvOrCsvGz, String protectedAttribute, boolean keepProtected) {
        boolean byRegion = REGION.equals(protectedAttribute);
        if (!byRegion && !GENDER.equals(protectedAttribute)) {
            throw new IllegalArgumentException("protectedAttribute must be '" + REGION + "' or '" + GENDER
                    + "', got " + (protectedAttribute == null ? "null" : "'" + protectedAttribute + "'"));
        }
        CsvText csv = CsvText.read(csvOrCsvGz, "CPSSW8 file", FIX);
        if (!Arrays.asList(CsvText.cells(csv.header().text())).equals(HEADER)) {
            throw csv.error(csv.header(), "header is " + CsvText.quote(csv.header().text()) + ", expected '"
                    + String.join(",", HEADER) + "'");
        }
        List<CsvText.Line> lines = csv.rows();
        if (lines.isEmpty()) {
            throw csv.error("has a header but no rows");
        }

        int n = lines.size();
        double[] earnings = new double[n];
        double[] male = new double[n];
        double[] age = new double[n];
        double[] education = new double[n];
        int[] region = new int[n];
        for (int i = 0; i < n; i++) {
            CsvText.Line line = lines.get(i);
            String[] cells = csv.cells(line, HEADER.size());
            earnings[i] = nonNegative(csv, line, HEADER.get(EARNINGS), cells[EARNINGS]);
            male[i] = level(csv, line, HEADER.get(GENDER_CELL), cells[GENDER_CELL], GENDERS);
            age[i] = nonNegative(csv, line, HEADER.get(AGE), cells[AGE]);
            region[i] = level(csv, line, HEADER.get(REGION_CELL), cells[REGION_CELL], REGIONS);
            education[i] = nonNegative(csv, line, HEADER.get(EDUCATION), cells[EDUCATION]);
        }

        double median = median(earnings);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = earnings[i] > median ? 1 : 0;
        }

        List<String> names = new ArrayList<>();
        boolean withGender = keepProtected || byRegion;
        boolean withRegion = keepProtected || !byRegion;
        if (withGender) {
            names.add("male");
        }
        names.add("age");
        names.add("education");
        if (withRegion) {
            for (String r : REGIONS) {
                names.add("region_" + r.toLowerCase(Locale.ROOT));
            }
        }
        int width = names.size();
        double[] features = new double[n * width];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i * width;
            if (withGender) {
                features[k++] = male[i];
            }
            features[k++] = age[i];
            features[k++] = education[i];
            if (withRegion) {
                features[k + region[i]] = 1;
            }
            groups[i] = byRegion ? region[i] : (int) male[i];
        }

        List<String> groupNames = byRegion ? REGIONS : GENDERS;
        TabularData data = new TabularData(features, names, labels, groups, groupNames, protectedAttribute);
        int[] sizes = data.groupSizes();
        for (int g = 0; g < sizes.length; g++) {
            if (sizes[g] < MIN_ROWS_PER_GROUP) {
                throw csv.error(protectedAttribute + " group " + groupNames.get(g) + " has " + sizes[g]
                        + " rows, at least " + MIN_ROWS_PER_GROUP + " are needed (group sizes "
                        + Arrays.toString(sizes) + " for " + groupNames + ")");
            }
        }
        return data;
    }

    private static double nonNegative(CsvText csv, CsvText.Line line, String column, String cell) {
        double value = csv.number(line, column, cell);
        if (value < 0) {
            throw csv.error(line, column + " " + CsvText.quote(cell) + " is negative");
        }
        return value;
    }

    private static int level(CsvText csv, CsvText.Line line, String column, String cell, List<String> levels) {
        int index = levels.indexOf(cell);
        if (index < 0) {
            throw csv.error(line, column + " " + CsvText.quote(cell) + " is not one of " + levels);
        }
        return index;
    }

    /** The median: the middle value, or the mean of the two middle values of an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
