package dev.constrained4j.data.tabular;

import dev.constrained4j.data.DataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loader of folktables' ACSIncome task (Ding, Hardt, Miller and Schmidt, "Retiring Adult", NeurIPS 2021) from a
 * CSV that the user wrote from folktables, e.g.
 * {@code pd.concat(ACSIncome.df_to_pandas(acs_data)[:2], axis=1).to_csv(path)}, or a raw ACS PUMS person file.
 * The header must hold (at least) {@link #COLUMNS}, in any order; other columns are ignored.
 *
 * <p>The protected attribute is marital status {@code MAR}, five groups (codes 1..5: {@link #MAR_GROUPS}). The
 * label is {@code PINCP > 50000}; when the {@code PINCP} column already holds the thresholded label
 * ({@code True/False} or {@code 1/0}, as {@code df_to_pandas} writes it) it is used directly. folktables'
 * ACSIncome filter is applied where the columns allow it: {@code AGEP > 16}, {@code WKHP > 0},
 * {@code PINCP > 100} when PINCP is an income, and {@code PWGTP >= 1} when that column is present; an empty cell
 * in a filter column fails the filter (as NaN does in pandas). The features are the other nine columns as
 * numbers, plus MAR when it is kept, in folktables' order.
 */
public final class AcsIncome {

    /** folktables' ACSIncome features, in its order, then the label column. */
    public static final List<String> COLUMNS =
            List.of("AGEP", "COW", "SCHL", "MAR", "OCCP", "POBP", "RELP", "WKHP", "SEX", "RAC1P", "PINCP");
    /** The protected attribute. */
    public static final String MAR = "MAR";
    /** The label column: total person income, or the thresholded label itself. */
    public static final String PINCP = "PINCP";
    /** The names of the MAR groups, for codes 1..5. */
    public static final List<String> MAR_GROUPS = List.of("married", "widowed", "divorced", "separated", "never married");
    /** The income above which the label is 1 (strictly). */
    public static final double INCOME_THRESHOLD = 50_000;

    private static final String FIX = "write it from folktables with"
            + " pd.concat(ACSIncome.df_to_pandas(acs_data)[:2], axis=1).to_csv(path)";
    private static final String PWGTP = "PWGTP";
    private static final int MIN_ROWS_PER_GROUP = 2;

    /** What a PINCP column holds. */
    private enum Target { INCOME, LABEL }

    private AcsIncome() {
    }

    /**
     * Reads the CSV (gzip or plain text, told apart by the first bytes).
     *
     * @param csv           the file
     * @param keepProtected whether MAR stays in the features
     * @throws DataException with a one-line message naming the file, the line, the column and the fix, if the
     *                       file is missing, corrupt, lacks a column, holds a bad value, or leaves a MAR group with
     *                       fewer than two rows after the filter
     */
    public static TabularData load(Path csv, boolean keepProtected) {
        CsvText text = CsvText.read(csv, "ACSIncome file", FIX);
        String[] header = CsvText.cells(text.header().text());
        Map<String, Integer> index = columnIndex(text, header);
        int weight = index.getOrDefault(PWGTP, -1);
        List<String> featureNames = new ArrayList<>();
        for (String column : COLUMNS) {
            if (!column.equals(PINCP) && (keepProtected || !column.equals(MAR))) {
                featureNames.add(column);
            }
        }

        List<CsvText.Line> lines = text.rows();
        List<String[]> rows = new ArrayList<>(lines.size());
        for (CsvText.Line line : lines) {
            rows.add(text.cells(line, header.length));
        }
        int pincp = index.get(PINCP);
        Target target = target(text, lines, rows, pincp);

        int width = featureNames.size();
        double[] features = new double[rows.size() * width];
        int[] labels = new int[rows.size()];
        int[] groups = new int[rows.size()];
        int kept = 0;
        for (int i = 0; i < rows.size(); i++) {
            CsvText.Line line = lines.get(i);
            String[] cells = rows.get(i);
            boolean passes = filterValue(text, line, "AGEP", cells[index.get("AGEP")]) > 16
                    && filterValue(text, line, "WKHP", cells[index.get("WKHP")]) > 0
                    && (target == Target.LABEL || filterValue(text, line, PINCP, cells[pincp]) > 100)
                    && (weight < 0 || filterValue(text, line, PWGTP, cells[weight]) >= 1);
            if (!passes) {
                continue;
            }
            for (int c = 0; c < width; c++) {
                String column = featureNames.get(c);
                features[kept * width + c] = text.number(line, column, cells[index.get(column)]);
            }
            groups[kept] = marGroup(text, line, cells[index.get(MAR)]);
            labels[kept] = target == Target.INCOME
                    ? (text.number(line, PINCP, cells[pincp]) > INCOME_THRESHOLD ? 1 : 0)
                    : (isTrue(cells[pincp]) ? 1 : 0);
            kept++;
        }
        if (kept == 0) {
            throw text.error("no row is left after folktables' ACSIncome filter (AGEP > 16, WKHP > 0"
                    + (target == Target.INCOME ? ", PINCP > 100" : "") + (weight >= 0 ? ", PWGTP >= 1" : "")
                    + ") of its " + rows.size() + " rows");
        }
        TabularData data = new TabularData(Arrays.copyOf(features, kept * width), featureNames,
                Arrays.copyOf(labels, kept), Arrays.copyOf(groups, kept), MAR_GROUPS, MAR);
        int[] sizes = data.groupSizes();
        for (int g = 0; g < sizes.length; g++) {
            if (sizes[g] < MIN_ROWS_PER_GROUP) {
                throw text.error("MAR group " + (g + 1) + " (" + MAR_GROUPS.get(g) + ") has " + sizes[g]
                        + " rows after the filter, at least " + MIN_ROWS_PER_GROUP + " are needed (group sizes "
                        + Arrays.toString(sizes) + " for " + MAR_GROUPS + ")");
            }
        }
        return data;
    }

    private static Map<String, Integer> columnIndex(CsvText text, String[] header) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            boolean needed = COLUMNS.contains(header[i]) || header[i].equals(PWGTP);
            if (needed && index.put(header[i], i) != null) {
                throw text.error(text.header(), "header has column " + header[i] + " twice");
            }
        }
        List<String> missing = COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw text.error(text.header(), "header lacks column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (it needs " + String.join(",", COLUMNS) + " in any order)");
        }
        return index;
    }

    /**
     * Whether PINCP holds incomes or labels: labels when every cell is True/False or 0/1 (an income column of
     * only zeros and ones is read as labels), incomes when some cell is another number or empty and none is
     * True/False.
     */
    private static Target target(CsvText text, List<CsvText.Line> lines, List<String[]> rows, int pincp) {
        int firstWord = -1;
        int firstIncome = -1;
        for (int i = 0; i < rows.size(); i++) {
            String cell = rows.get(i)[pincp];
            if (isTrueWord(cell) || isFalseWord(cell)) {
                firstWord = firstWord < 0 ? i : firstWord;
            } else if (cell.isEmpty() || CsvText.isNumber(cell)) {
                firstIncome = firstIncome < 0 && !isZeroOrOne(cell) ? i : firstIncome;
            } else {
                throw text.error(lines.get(i), PINCP + " " + CsvText.quote(cell)
                        + " is neither an income nor a True/False label");
            }
        }
        if (firstIncome < 0) {
            return Target.LABEL;
        }
        if (firstWord >= 0) {
            throw text.error(lines.get(firstIncome), PINCP + " " + CsvText.quote(rows.get(firstIncome)[pincp])
                    + " is an income but line " + lines.get(firstWord).number()
                    + " holds a True/False label; use one or the other throughout");
        }
        return Target.INCOME;
    }

    /** A value for the filter: empty is NaN, which fails every comparison. */
    private static double filterValue(CsvText text, CsvText.Line line, String column, String cell) {
        return cell.isEmpty() ? Double.NaN : text.number(line, column, cell);
    }

    private static int marGroup(CsvText text, CsvText.Line line, String cell) {
        double code = text.number(line, MAR, cell);
        if (code != Math.rint(code) || code < 1 || code > MAR_GROUPS.size()) {
            throw text.error(line, MAR + " " + CsvText.quote(cell) + " is not a marital-status code 1.."
                    + MAR_GROUPS.size() + " " + MAR_GROUPS);
        }
        return (int) code - 1;
    }

    /** A label cell that means 1: {@code True} (any case) or the number 1. */
    private static boolean isTrue(String cell) {
        return isTrueWord(cell) || (CsvText.isNumber(cell) && Double.parseDouble(cell) == 1);
    }

    private static boolean isTrueWord(String cell) {
        return cell.toLowerCase(Locale.ROOT).equals("true");
    }

    private static boolean isFalseWord(String cell) {
        return cell.toLowerCase(Locale.ROOT).equals("false");
    }

    private static boolean isZeroOrOne(String cell) {
        return CsvText.isNumber(cell) && (Double.parseDouble(cell) == 0 || Double.parseDouble(cell) == 1);
    }
}
