package dev.constrained4j.reports.summary;

/** Cells of the CSV text of a final table: quoted where needed, numbers in full precision. */
public final class CsvText {

    private CsvText() {
    }

    /**
     * @param text a cell
     * @return the cell, quoted (RFC 4180) when it holds a comma, a quote or a line break
     */
    public static String cell(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    /**
     * @param present whether there is a value
     * @param value   the value
     * @return the value in full precision, or empty when absent
     */
    public static String number(boolean present, double value) {
        return present ? Double.toString(value) : "";
    }

    /**
     * @param stats statistics over modes
     * @return the two cells {@code mean,sd}, each empty where there is no value
     */
    public static String meanAndSd(ModeStats stats) {
        return number(stats.hasMean(), stats.mean()) + "," + number(stats.hasSd(), stats.sd());
    }
}
