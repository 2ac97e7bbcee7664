package dev.constrained4j.reports.record;

import dev.constrained4j.reports.ReportException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file with a header row, read whole into memory: the format of {@code metrics.csv}, the
 * per-sample files and the extra tables of a run folder. Cells may be quoted ({@code "a,b"}, with
 * {@code ""} for a quote); an empty cell means "not applicable" and is kept as the empty string.
 *
 * @param file   the file it was read from (used in error messages)
 * @param header the column names, in file order
 * @param rows   the data rows, each exactly as long as the header
 */
public record CsvTable(Path file, List<String> header, List<List<String>> rows) {

    /** Validates and copies; every row must be as long as the header. */
    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /**
     * Reads a CSV file with a header row.
     *
     * @param file the CSV file
     * @return the table
     * @throws ReportException if the file is missing, empty, has a duplicate or empty column name,
     *                         or a row whose cell count differs from the header's; the message names
     *                         the file and the line
     */
    public static CsvTable read(Path file) {
        List<String> header = null;
        List<List<String>> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = parseLine(file, lineNo, line);
                if (header == null) {
                    header = checkHeader(file, cells);
                } else if (cells.size() != header.size()) {
                    throw new ReportException(file + ": line " + lineNo + " has " + cells.size()
                            + " cells, the header has " + header.size());
                } else {
                    rows.add(List.copyOf(cells));
                }
            }
        } catch (NoSuchFileException e) {
            throw new ReportException(file + ": file not found", e);
        } catch (IOException e) {
            throw new ReportException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (header == null) {
            throw new ReportException(file + ": empty file, expected a header row");
        }
        return new CsvTable(file, header, rows);
    }

    private static List<String> checkHeader(Path file, List<String> cells) {
        List<String> names = new ArrayList<>();
        for (String cell : cells) {
            String name = cell.trim();
            if (name.isEmpty()) {
                throw new ReportException(file + ": header has an empty column name");
            }
            if (names.contains(name)) {
                throw new ReportException(file + ": header repeats the column '" + name + "'");
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> parseLine(Path file, int lineNo, String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new ReportException(file + ": line " + lineNo + " has an unterminated quote");
        }
        cells.add(cell.toString());
        return cells;
    }

    /**
     * @param name a column name
     * @return its index, or -1 if the table has no such column
     */
    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /**
     * @param name a column name that must exist
     * @return its index
     * @throws ReportException naming the file and the column if it is absent
     */
    public int requireColumn(String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new ReportException(file + ": no column '" + name + "' in header " + header);
        }
        return index;
    }

    /**
     * Parses a numeric column, e.g. the per-sample values of a histogram. Empty cells are skipped
     * (not applicable); non-numeric cells are an error.
     *
     * @param name the column name
     * @return the finite and non-finite numbers of that column, in row order, empty cells left out
     * @throws ReportException if the column is absent or a cell is not a number
     */
    public double[] numbers(String name) {
        int col = requireColumn(name);
        double[] out = new double[rows.size()];
        int n = 0;
        for (int r = 0; r < rows.size(); r++) {
            Double value = parseNumber(r, col);
            if (value != null) {
                out[n++] = value;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * @param row the row index (0-based, data rows only)
     * @param col the column index
     * @return the cell as a number, or {@code null} if the cell is empty (not applicable)
     * @throws ReportException if the cell is neither empty nor a number
     */
    public Double parseNumber(int row, int col) {
        String text = rows.get(row).get(col).trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            throw new ReportException(file + ": data row " + (row + 1) + ", column '" + header.get(col)
                    + "': '" + text + "' is not a number", e);
        }
    }
}
