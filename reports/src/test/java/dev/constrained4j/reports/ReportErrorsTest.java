package dev.constrained4j.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing or malformed run.json or metrics.csv fails with a one-line message naming file and problem. */
class ReportErrorsTest {

    @TempDir
    Path temp;

    private String failure(Path run, String expectedFile) throws IOException {
        Path out = temp.resolve("out/report.html");
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.write(List.of(run), out));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(run.resolve(expectedFile).toString()), "names the file: " + message);
        assertFalse(Files.exists(out), "nothing written");
        if (Files.isDirectory(out.getParent())) {
            try (var files = Files.list(out.getParent())) {
                assertEquals(0, files.count(), "no temporary file left");
            }
        }
        return message;
    }

    private Path run() {
        return RunFolderFixture.mnistRun(temp.resolve("run"), "r", "t", 5, 3);
    }

    @Test
    void missingMetrics() throws IOException {
        Path run = run();
        Files.delete(run.resolve("metrics.csv"));
        assertTrue(failure(run, "metrics.csv").endsWith("file not found"));
    }

    @Test
    void missingRunJson() throws IOException {
        Path run = run();
        Files.delete(run.resolve("run.json"));
        assertTrue(failure(run, "run.json").endsWith("file not found"));
    }

    @Test
    void malformedJson() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"x\",\n \"modes\": [\"a\",}");
        assertTrue(failure(run, "run.json").contains("malformed JSON at line 2"));
    }

    @Test
    void runJsonWithoutModes() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"x\"}");
        assertTrue(failure(run, "run.json").endsWith("missing required key 'modes'"));
    }

    @Test
    void runJsonWithBadResult() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"x\", \"modes\": [\"a\"], \"results\": {\"a\": {\"bestEpoch\": \"7\"}}}");
        assertTrue(failure(run, "run.json").endsWith("'results.a.bestEpoch' must be an integer"));
    }

    @Test
    void metricsRowWithWrongCellCount() throws IOException {
        Path run = run();
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        lines.set(3, "plain,refine,1,2.0");
        Files.write(run.resolve("metrics.csv"), lines);
        assertTrue(failure(run, "metrics.csv").endsWith("line 4 has 4 cells, the header has " + RunFolderFixture.COLUMNS));
    }

    @Test
    void histogramHintWithBinsAndARange() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"x\", \"modes\": [\"alm\"], \"report\": {\"histograms\": ["
                + "{\"file\": \"s.csv\", \"column\": \"multiplier\", \"bins\": 60, \"max\": 1}]}}");
        assertTrue(failure(run, "run.json").endsWith("'report.histograms[0]' must have either 'bins' or 'binWidth',"
                + " 'min' and 'max', not both ('max' given with 'bins')"));
    }

    @Test
    void histogramHintWithoutBins() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"x\", \"modes\": [\"alm\"], \"report\": {\"histograms\": ["
                + "{\"file\": \"s.csv\", \"column\": \"multiplier\"}]}}");
        assertTrue(failure(run, "run.json").endsWith("'report.histograms[0]' must have 'bins', or 'binWidth', 'min' and 'max'"));
    }

    @Test
    void histogramHintWithZeroBins() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"x\", \"modes\": [\"alm\"], \"report\": {\"histograms\": ["
                + "{\"file\": \"s.csv\", \"column\": \"multiplier\", \"bins\": 0}]}}");
        assertTrue(failure(run, "run.json").endsWith("'report.histograms[0].bins' must be an integer from 1 to 100000, not 0"));
    }

    @Test
    void metricsWithoutEpochColumn() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("metrics.csv"), "mode,phase,train_loss\nplain,refine,0.3\n");
        assertTrue(failure(run, "metrics.csv").contains("no column 'epoch'"));
    }

    @Test
    void metricsWithNonIntegerEpoch() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("metrics.csv"), "mode,phase,epoch,train_loss\nplain,refine,one,0.3\n");
        assertTrue(failure(run, "metrics.csv").endsWith("data row 1: epoch 'one' is not an integer"));
    }

    @Test
    void emptyMetrics() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("metrics.csv"), "");
        assertTrue(failure(run, "metrics.csv").endsWith("empty file, expected a header row"));
    }
}
