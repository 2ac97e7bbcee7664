package dev.constrained4j.data.tabular;

import dev.constrained4j.data.DataException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a small comma-separated text file, raw or gzipped (detected from the first two bytes, not the
 * name), with the one-line {@link DataException}s that the tabular loaders share. Cells hold no commas; a cell
 * in double quotes loses them, and blank lines are skipped (as pandas' {@code read_csv} does).
 */
final class CsvText {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final int MAX_QUOTED = 60;

    /** One non-blank line and its 1-based number in the file. */
    record Line(int number, String text) {
    }

    private final Path path;
    private final String fix;
    private final List<Line> lines;

    private CsvText(Path path, String fix, List<Line> lines) {
        this.path = path;
        this.fix = fix;
        this.lines = lines;
    }

    /**
     * Reads the whole file as UTF-8 text.
     *
     * @param what what the file holds, for the "not found" message (e.g. "CPSSW8 file")
     * @param fix  how to repair the file, appended to every message (e.g. "re-create it with ...")
     * @throws DataException if the file is missing, a corrupt or truncated gzip stream, not UTF-8, or has no
     *                       non-blank line
     */
    static CsvText read(Path path, String what, String fix) {
        if (!Files.isRegularFile(path)) {
            throw new DataException(what + " not found: " + path + " (" + fix + ")");
        }
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(path),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
            int number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (number == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (!text.isBlank()) {
                    lines.add(new Line(number, text));
                }
            }
        } catch (EOFException e) {
            throw new DataException(path + " is a truncated gzip file; " + fix, e);
        } catch (ZipException e) {
            throw new DataException(path + " is a corrupt gzip file (" + oneLine(e.getMessage()) + "); " + fix, e);
        } catch (CharacterCodingException e) {
            throw new DataException(path + " is not UTF-8 text (nor gzip); " + fix, e);
        } catch (NoSuchFileException e) {
            throw new DataException(what + " not found: " + path + " (" + fix + ")", e);
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + oneLine(e.toString()) + "; " + fix, e);
        }
        if (lines.isEmpty()) {
            throw new DataException(path + " is empty; " + fix);
        }
        return new CsvText(path, fix, lines);
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** The first non-blank line. */
    Line header() {
        return lines.get(0);
    }

    /** The non-blank lines after the header. */
    List<Line> rows() {
        return lines.subList(1, lines.size());
    }

    /** The cells of a line: split at commas, trimmed, surrounding double quotes removed. */
    static String[] cells(String text) {
        String[] cells = text.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].trim();
            if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
                cell = cell.substring(1, cell.length() - 1).trim();
            }
            cells[i] = cell;
        }
        return cells;
    }

    /** The cells of a row line, which must have exactly {@code expected} of them. */
    String[] cells(Line line, int expected) {
        String[] cells = cells(line.text());
        if (cells.length != expected) {
            throw error(line, "has " + cells.length + " cells, expected " + expected + " as in the header");
        }
        return cells;
    }

    /**
     * A decimal number ({@code 12}, {@code -1.5}, {@code 1e+05}); {@code NaN}, {@code Infinity} and anything else
     * are rejected with a message naming the line and the column.
     */
    double number(Line line, String column, String cell) {
        if (!DECIMAL.matcher(cell).matches()) {
            throw error(line, column + " " + quote(cell) + " is not a number");
        }
        double value = Double.parseDouble(cell);
        if (!Double.isFinite(value)) {
            throw error(line, column + " " + quote(cell) + " is out of range");
        }
        return value;
    }

    /** Whether {@code cell} is a decimal number that {@link #number} accepts. */
    static boolean isNumber(String cell) {
        return DECIMAL.matcher(cell).matches() && Double.isFinite(Double.parseDouble(cell));
    }

    /** An error about one line: {@code path:line: problem; fix}. */
    DataException error(Line line, String problem) {
        return new DataException(path + ":" + line.number() + ": " + problem + "; " + fix);
    }

    /** An error about the whole file: {@code path: problem; fix}. */
    DataException error(String problem) {
        return new DataException(path + ": " + problem + "; " + fix);
    }

    /** A cell or line for a message: in single quotes, shortened, with control characters shown as '?'. */
    static String quote(String text) {
        String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static String oneLine(String text) {
        return text == null ? "no detail" : text.replaceAll("[\\r\\n]+", " ");
    }
}
