package dev.constrained4j.reports.record;

import dev.constrained4j.reports.ReportException;

import dev.constrained4j.reports.run.RunFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's {@code metrics.csv}: one row per mode and epoch, columns {@code mode, phase, epoch} then
 * numeric metrics, either split-less ({@code seconds}, {@code penalty_weight}) or named
 * {@code <split>_<metric>} ({@code train_loss}, {@code test_recon_mse}). An empty cell means "not
 * applicable". Rows whose phase is {@code warm} belong to the warm-up, reported as mode {@code warm}.
 * Columns holding any non-numeric cell are not metrics and are left out of {@link #columns()}.
 */
public final class MetricsTable {

    /** The mode that rows of the warm-up phase belong to. */
    public static final String WARM = "warm";

    private static final Set<String> KEY_COLUMNS = Set.of(RunFiles.MODE, RunFiles.PHASE, RunFiles.EPOCH);
    private static final Set<String> KNOWN_SPLITS = Set.of("train", "test", "val", "valid", "validation", "dev");

    /**
     * One metric column.
     *
     * @param name   the column name ({@code test_loss})
     * @param metric the base name ({@code loss}); equal to {@code name} for split-less columns
     * @param split  the split ({@code test}), or empty for split-less columns
     */
    public record Column(String name, String metric, String split) {
    }

    /**
     * One row.
     *
     * @param mode  the mode ({@code warm} for warm-up rows)
     * @param phase the phase, possibly empty
     * @param epoch the epoch (0-based)
     */
    public record Row(String mode, String phase, int epoch) {
    }

    private final CsvTable table;
    private final List<Column> columns;
    private final List<Row> rows;
    private final Map<String, Double[]> values = new LinkedHashMap<>();

    private MetricsTable(CsvTable table, List<Column> columns, List<Row> rows) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
    }

    /**
     * Reads and validates a metrics file.
     *
     * @param file   the {@code metrics.csv}
     * @param splits the split names that prefix metric columns; empty to recognise the usual ones
     *               ({@code train, val, valid, validation, test, dev})
     * @return the table
     * @throws ReportException if the file is missing or malformed, lacks a {@code mode} or
     *                         {@code epoch} column, or has an epoch that is not an integer ≥ 0
     */
    public static MetricsTable read(Path file, List<String> splits) {
        CsvTable csv = CsvTable.read(file);
        int modeCol = csv.requireColumn(RunFiles.MODE);
        int epochCol = csv.requireColumn(RunFiles.EPOCH);
        int phaseCol = csv.columnIndex(RunFiles.PHASE);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            List<String> cells = csv.rows().get(r);
            String epochText = cells.get(epochCol).trim();
            int epoch;
            try {
                epoch = Integer.parseInt(epochText);
            } catch (NumberFormatException e) {
                throw new ReportException(file + ": data row " + (r + 1) + ": epoch '" + epochText
                        + "' is not an integer", e);
            }
            if (epoch < 0) {
                throw new ReportException(file + ": data row " + (r + 1) + ": epoch " + epoch + " is negative");
            }
            String phase = phaseCol < 0 ? "" : cells.get(phaseCol).trim();
            String mode = WARM.equals(phase) ? WARM : cells.get(modeCol).trim();
            if (mode.isEmpty()) {
                throw new ReportException(file + ": data row " + (r + 1) + " has an empty mode");
            }
            rows.add(new Row(mode, phase, epoch));
        }
        Set<String> splitSet = splits.isEmpty() ? KNOWN_SPLITS : Set.copyOf(splits);
        List<Column> columns = new ArrayList<>();
        for (String name : csv.header()) {
            if (KEY_COLUMNS.contains(name) || !isNumeric(csv, csv.columnIndex(name))) {
                continue;
            }
            int underscore = name.indexOf('_');
            String prefix = underscore > 0 ? name.substring(0, underscore) : "";
            if (splitSet.contains(prefix) && underscore < name.length() - 1) {
                columns.add(new Column(name, name.substring(underscore + 1), prefix));
            } else {
                columns.add(new Column(name, name, ""));
            }
        }
        return new MetricsTable(csv, columns, rows);
    }

    private static boolean isNumeric(CsvTable csv, int col) {
        for (List<String> row : csv.rows()) {
            String text = row.get(col).trim();
            if (!text.isEmpty()) {
                try {
                    Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return the file this table was read from */
    public Path file() {
        return table.file();
    }

    /** @return the numeric metric columns, in file order */
    public List<Column> columns() {
        return columns;
    }

    /** @return the rows, in file order */
    public List<Row> rows() {
        return rows;
    }

    /** @return the metric base names in order of first appearance ({@code loss, acc, …}) */
    public List<String> metrics() {
        Set<String> out = new LinkedHashSet<>();
        columns.forEach(c -> out.add(c.metric()));
        return List.copyOf(out);
    }

    /** @return the splits in order of first appearance ({@code train, test}) */
    public List<String> splits() {
        Set<String> out = new LinkedHashSet<>();
        columns.stream().filter(c -> !c.split().isEmpty()).forEach(c -> out.add(c.split()));
        return List.copyOf(out);
    }

    /** @return the modes in order of first appearance, {@code warm} included if present */
    public List<String> modes() {
        Set<String> out = new LinkedHashSet<>();
        rows.forEach(r -> out.add(r.mode()));
        return List.copyOf(out);
    }

    /**
     * @param metric a base name
     * @return its columns, in file order
     */
    public List<Column> columnsOf(String metric) {
        return columns.stream().filter(c -> c.metric().equals(metric)).toList();
    }

    /**
     * @param mode  a mode
     * @param epoch an epoch
     * @return the index of the last row with that mode and epoch, if any
     */
    public Optional<Integer> find(String mode, int epoch) {
        for (int r = rows.size() - 1; r >= 0; r--) {
            if (rows.get(r).mode().equals(mode) && rows.get(r).epoch() == epoch) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * @param mode a mode
     * @return the indices of its rows, in file order
     */
    public List<Integer> rowsOf(String mode) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).mode().equals(mode)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * @param row    a row index
     * @param column a metric column name
     * @return the value, or {@code null} if the cell is empty (not applicable)
     */
    public Double value(int row, String column) {
        return values.computeIfAbsent(column, name -> {
            int col = table.requireColumn(name);
            Double[] parsed = new Double[rows.size()];
            for (int r = 0; r < parsed.length; r++) {
                parsed[r] = table.parseNumber(r, col);
            }
            return parsed;
        })[row];
    }

    /**
     * Checks that a column exists and holds only numbers and empty cells, e.g. a column that a
     * report cannot do without.
     *
     * @param column a column name
     * @throws ReportException naming the file and the column if it is absent, or the file, the row
     *                         and the column of a cell that is not a number
     */
    public void requireNumeric(String column) {
        table.requireColumn(column);
        if (!rows.isEmpty()) {
            value(0, column);
        }
    }

    /**
     * @param row    a row index
     * @param column a column name
     * @return the cell exactly as written in the file
     */
    public String raw(int row, String column) {
        return table.rows().get(row).get(table.requireColumn(column)).trim();
    }
}
