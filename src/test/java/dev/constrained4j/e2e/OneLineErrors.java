package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The check every bad-input test makes: the exit status, one line naming the problem first, no run folder. */
final class OneLineErrors {

    private OneLineErrors() {
    }

    /**
     * Runs the command line and asserts its exit status, that the first line of standard error contains
     * {@code message} and no exception name, and that no run folder of {@code experiment} appeared under {@code runs}.
     *
     * @return the run, for further checks
     */
    static CliRun assertStopsWithOneLine(String[] args, int exitCode, String message, Path runs, String experiment)
            throws Exception {
        CliRun run = assertFirstLine(CliRun.of(args), exitCode, message);
        if (Files.isDirectory(runs)) {
            try (Stream<Path> dirs = Files.list(runs)) {
                assertTrue(dirs.noneMatch(d -> d.getFileName().toString().contains("-" + experiment)),
                        "no run folder is created for bad input");
            }
        }
        return run;
    }

    /**
     * Asserts a finished run's exit status, that the first line of its standard error contains {@code message}, and
     * that it names no exception (no stack trace comes first).
     */
    static CliRun assertFirstLine(CliRun run, int exitCode, String message) {
        assertEquals(exitCode, run.exitCode(), run.err());
        String first = run.err().lines().findFirst().orElse("");
        assertTrue(first.contains(message), "first line of stderr: " + first);
        assertFalse(first.contains("Exception") || first.contains("\tat "), "no stack trace first: " + first);
        assertFalse(run.err().contains("\n\tat "), "no stack trace at all: " + run.err());
        return run;
    }
}
