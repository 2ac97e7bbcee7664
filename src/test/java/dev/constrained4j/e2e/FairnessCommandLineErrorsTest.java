package dev.constrained4j.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to {@code fairness} stops with a non-zero status and a first line that names the problem, before any
 * training, and leaves no run folder.
 */
class FairnessCommandLineErrorsTest {

    @TempDir
    static Path tmp;

    record BadInput(String name, String[] args, int exitCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadInput> badInputs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        byte[] shipped = Files.readAllBytes(RepoPaths.cpssw8());
        Path truncated = Files.write(dir.resolve("truncated.csv.gz"), Arrays.copyOf(shipped, shipped.length / 3));
        Path header = Files.writeString(dir.resolve("header.csv"), "earnings,sex,age,region,education\n1,male,3,South,12\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Path acs = Files.writeString(dir.resolve("acs.csv"), "AGEP,COW\n30,1\n");
        String out = tmp.resolve("runs").toString();
        String data = RepoPaths.cpssw8().toString();
        return Stream.of(
                bad("unknown option", 2, "Unknown option", "--no-such-option"),
                bad("unknown method", 1, "--methods must be", "-m", "adam,fancy", "-d", data, "-o", out),
                bad("repeated method", 1, "--methods must be", "-m", "adam,adam", "-d", data, "-o", out),
                bad("NaN bound", 1, "--bound must be in [0, 1), got NaN", "-c", "NaN", "-d", data, "-o", out),
                bad("bound of 1", 1, "--bound must be in [0, 1)", "-c", "1", "-d", data, "-o", out),
                bad("bound not a number", 2, "Invalid value", "-c", "tight", "-d", data, "-o", out),
                bad("no seeds", 1, "--seeds must be >= 1, got 0", "--seeds", "0", "-d", data, "-o", out),
                bad("negative epochs", 1, "--epochs must be >= 0, got -2", "--epochs", "-2", "-d", data, "-o", out),
                bad("empty batches", 1, "--per-group must be >= 1", "--per-group", "0", "-d", data, "-o", out),
                bad("test fraction 1", 1, "--test-fraction must be in (0, 1)", "--test-fraction", "1", "-d", data,
                        "-o", out),
                bad("zero hidden width", 1, "--hidden must be", "--hidden", "64,0", "-d", data, "-o", out),
                bad("negative learning rate", 1, "--lr must be a finite number > 0", "--lr", "-1", "-d", data,
                        "-o", out),
                bad("infinite SSL-ALM tau", 1, "SSL-ALM's tau must be", "--ssl-tau", "Infinity", "-d", data,
                        "-o", out),
                bad("SSL-ALM beta above 1", 1, "SSL-ALM's beta must be in (0, 1]", "--ssl-beta", "2", "-d", data,
                        "-o", out),
                bad("zero SSw step", 1, "objectiveStep must be a finite number > 0", "--ssw-objective-step", "0",
                        "-d", data, "-o", out),
                bad("penalty shrinking", 1, "--penalty-grow must be a finite number >= 1", "--penalty-grow", "0.5",
                        "-d", data, "-o", out),
                bad("NaN alm rho", 1, "--alm-rho must be a finite number > 0", "--alm-rho", "NaN", "-d", data,
                        "-o", out),
                bad("unknown protected attribute", 1, "--protected must be region or gender", "--protected", "age",
                        "-d", data, "-o", out),
                bad("unknown dataset", 1, "--dataset must be cpssw8 or acsincome", "--dataset", "adult", "-d", data,
                        "-o", out),
                bad("acsincome without a file", 1, "--dataset acsincome needs -d FILE", "--dataset", "acsincome",
                        "-o", out),
                bad("missing data file", 1, "nothing.csv", "-d", dir.resolve("nothing.csv").toString(), "-o", out),
                bad("truncated gzip", 1, "truncated.csv.gz", "-d", truncated.toString(), "-o", out),
                bad("wrong header", 1, "header.csv", "-d", header.toString(), "-o", out),
                bad("empty file", 1, "empty.csv", "-d", empty.toString(), "-o", out),
                bad("acsincome missing columns", 1, "acs.csv", "--dataset", "acsincome", "-d", acs.toString(),
                        "-o", out),
                bad("threads 0", 1, "--threads must be >= 1", "--threads", "0", "-d", data, "-o", out),
                bad("resume of a non-run", 1, "not a run folder", "--resume", dir.toString()));
    }

    private static BadInput bad(String name, int exit, String message, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "fairness";
        System.arraycopy(args, 0, all, 1, args.length);
        return new BadInput(name, all, exit, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputStopsWithOneLine(BadInput bad) throws Exception {
        OneLineErrors.assertStopsWithOneLine(bad.args(), bad.exitCode(), bad.message(), tmp.resolve("runs"), "fairness");
    }
}
