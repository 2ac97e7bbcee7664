package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.run.RunFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input to {@code fairness} (issue 13): CSV files with a missing or extra column, short rows, cells that are
 * not numbers or not finite, unknown groups, too few rows of a group, binary, UTF-16 and corrupt gzip files, every
 * numeric option out of range, not finite or of the wrong type, output folders that cannot be written, a full
 * disk, run records edited by hand for {@code --resume}, and a loss that overflows. Each stops with a non-zero
 * status and a first line on standard error that names the problem and the fix; input refused before training
 * leaves no run folder, a refused resume changes nothing, and nothing leaves a temporary file. The data are the
 * first 3,000 rows of the shipped CPSSW8 file, so the runs that train take well under a second.
 */
class FairnessHostileInputTest {

    @TempDir
    static Path tmp;

    private static final Tmpfs MOUNTS = new Tmpfs();
    private static final String HEADER = "earnings,gender,age,region,education";
    /** The data rows of {@link #small}, without the header. */
    private static List<String> rows;
    /** The first 3,000 rows of CPSSW8 as plain CSV: every region has more than 300. */
    private static Path small;
    /** A finished run on {@link #small}: the original of every damaged run folder. */
    private static Path finished;

    /** One hostile invocation and what the first line of standard error must say. */
    record Hostile(String name, List<String> args, int exitCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void writeData() throws Exception {
        List<String> lines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(RepoPaths.cpssw8()))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(3001).toList();
        }
        assertEquals(HEADER, lines.get(0));
        rows = lines.subList(1, lines.size());
        small = csv("small.csv", lines);
        CliRun run = CliRun.of("fairness", "-m", "adam", "--seeds", "1", "--epochs", "1", "-d", small.toString(),
                "-o", tmp.resolve("finished").toString(), "--no-report");
        assertEquals(0, run.exitCode(), run.err());
        finished = runFolder(tmp.resolve("finished")).orElseThrow();
    }

    @AfterAll
    static void unmount() throws Exception {
        MOUNTS.close();
    }

    private static Path csv(String name, List<String> lines) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    /** The header, the first five rows, {@code row}, then the other rows. */
    private static Path withRow(String name, String row) throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        lines.addAll(rows.subList(0, 5));
        lines.add(row);
        lines.addAll(rows.subList(5, rows.size()));
        return csv(name, lines);
    }

    private static Hostile badData(String name, Path data, String message) {
        return new Hostile(name, List.of("fairness", "-m", "adam", "--seeds", "1", "--epochs", "1", "-d",
                data.toString(), "-o", tmp.resolve("runs").toString(), "--no-report"), 1, message);
    }

    private static Hostile bad(String name, int exit, String message, String... options) {
        List<String> args = new ArrayList<>(List.of("fairness", "-m", "adam", "--seeds", "1", "--epochs", "1", "-d",
                small.toString(), "--no-report"));
        if (!List.of(options).contains("-o")) {
            args.addAll(List.of("-o", tmp.resolve("runs").toString()));
        }
        args.addAll(List.of(options));
        return new Hostile(name, args, exit, message);
    }

    static Stream<Hostile> badData() throws IOException {
        List<String> noEducation = new ArrayList<>(List.of("earnings,gender,age,region"));
        rows.forEach(r -> noEducation.add(r.substring(0, r.lastIndexOf(','))));
        List<String> extra = new ArrayList<>(List.of(HEADER + ",x"));
        rows.forEach(r -> extra.add(r + ",1"));
        List<String> south = new ArrayList<>(List.of(HEADER));
        rows.stream().filter(r -> r.contains(",South,")).forEach(south::add);
        List<String> first400 = new ArrayList<>(List.of(HEADER));
        first400.addAll(rows.subList(0, 400));
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Path folder = Files.createDirectories(dir.resolve("folder.csv"));
        return Stream.of(
                badData("no education column", csv("no-education.csv", noEducation),
                        "header is 'earnings,gender,age,region', expected 'earnings,gender,age,region,education'"),
                badData("an extra column", csv("extra.csv", extra), "header is '" + HEADER + ",x'"),
                badData("a row with 4 cells", withRow("short.csv", "20.5,male,31,South"),
                        "short.csv:7: has 4 cells, expected 5 as in the header"),
                badData("earnings not a number", withRow("word.csv", "abc,male,31,South,14"),
                        "word.csv:7: earnings 'abc' is not a number"),
                badData("earnings NaN", withRow("nan.csv", "NaN,male,31,South,14"), "earnings 'NaN' is not a number"),
                badData("age Infinity", withRow("inf.csv", "20.1,male,Infinity,South,14"),
                        "age 'Infinity' is not a number"),
                badData("negative age", withRow("negative.csv", "20.1,male,-5,South,14"), "age '-5' is negative"),
                badData("unknown region", withRow("region.csv", "20.1,male,31,Atlantis,14"),
                        "region 'Atlantis' is not one of [Northeast, Midwest, South, West]"),
                badData("unknown gender", withRow("gender.csv", "20.1,robot,31,South,14"),
                        "gender 'robot' is not one of [female, male]"),
                badData("a quoted cell", withRow("quoted.csv", "\"20.1,male\",31,South,14"),
                        "earnings '\"20.1' is not a number"),
                badData("one region only", csv("south.csv", south), "region group Northeast has 0 rows, at least 2"),
                badData("a region too small to split", csv("first-400.csv", first400),
                        "each side needs at least 1: use a file with more rows of that group, or another test"
                                + " fraction"),
                badData("header only", csv("header-only.csv", List.of(HEADER)), "has a header but no rows"),
                badData("binary bytes", Files.write(dir.resolve("binary.csv"), HostileFiles.randomBytes(2560, 3)),
                        "binary.csv is not UTF-8 text (nor gzip)"),
                badData("UTF-16 text", Files.write(dir.resolve("utf16.csv"),
                        (HEADER + "\n" + rows.get(0) + "\n").getBytes(StandardCharsets.UTF_16)),
                        "utf16.csv is not UTF-8 text (nor gzip)"),
                badData("random bytes named .csv.gz", Files.write(dir.resolve("random.csv.gz"),
                        HostileFiles.randomBytes(3000, 4)), "random.csv.gz is not UTF-8 text (nor gzip)"),
                badData("a PNG renamed .csv.gz", Files.write(dir.resolve("png.csv.gz"),
                        HostileFiles.png(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY)),
                        "png.csv.gz is not UTF-8 text (nor gzip)"),
                badData("gzip header over garbage", Files.write(dir.resolve("bad.csv.gz"), HostileFiles.concat(
                        new byte[]{0x1f, (byte) 0x8b}, HostileFiles.randomBytes(300, 5))), "is a corrupt gzip file"),
                badData("-d a folder", folder, "CPSSW8 file not found"));
    }

    static Stream<Hostile> badOptions() {
        return Stream.of(
                bad("epochs as a word", 2, "Invalid value for option '--epochs': 'ten'", "--epochs", "ten"),
                bad("NaN learning rate", 1, "--lr must be a finite number > 0, got NaN", "--lr", "NaN"),
                bad("infinite learning rate", 1, "--lr must be a finite number > 0, got Infinity", "--lr", "Infinity"),
                bad("bound inf", 2, "'inf' is not a double", "-c", "inf"),
                bad("infinite bound", 1, "--bound must be in [0, 1), got Infinity", "-c", "Infinity"),
                bad("negative bound", 1, "--bound must be in [0, 1), got -0.1", "-c", "-0.1"),
                bad("seeds a fraction", 2, "'1.5' is not an int", "--seeds", "1.5"),
                bad("negative rows per group", 1, "--per-group must be >= 1, got -3", "--per-group", "-3"),
                bad("NaN test fraction", 1, "--test-fraction must be in (0, 1), got NaN", "--test-fraction", "NaN"),
                bad("test fraction leaving no training rows", 1, "puts 359 in test and 0 in train",
                        "--test-fraction", "0.999"),
                bad("negative hidden width", 1, "--hidden must be one or more widths in 1..4096", "--hidden",
                        "64,-1"),
                bad("hidden width of 100 million", 1, "--hidden must be one or more widths in 1..4096 (a wider layer"
                        + " of a tabular MLP does not fit in memory), got [100000000]", "--hidden", "100000000"),
                bad("hidden widths as words", 2, "'a' is not an int", "--hidden", "a,b"),
                bad("NaN SSL-ALM mu", 1, "SSL-ALM's mu must be a finite number >= 0.0, got NaN", "--ssl-mu", "NaN"),
                bad("negative SSL-ALM rho", 1, "SSL-ALM's rho must be a finite number >= 0.0, got -1.0", "--ssl-rho",
                        "-1"),
                bad("negative SSL-ALM multiplier bound", 1, "SSL-ALM's maxMultiplier must be a finite number > 0",
                        "--ssl-max-multiplier", "-1"),
                bad("infinite SSw constraint step", 1, "constraintStep must be a finite number > 0, got Infinity",
                        "--ssw-constraint-step", "Infinity"),
                bad("NaN SSw tolerance", 1, "firstTolerance must be a finite number >= 0, got NaN", "--ssw-tolerance",
                        "NaN"),
                bad("penalty starting at 0", 1, "--penalty-start must be a finite number > 0, got 0.0",
                        "--penalty-start", "0"),
                bad("infinite penalty cap", 1, "--penalty-cap must be finite and >= --penalty-start, got Infinity",
                        "--penalty-cap", "Infinity"),
                bad("NaN alm dual step", 1, "--alm-dual-lr must be a finite number > 0, got NaN", "--alm-dual-lr",
                        "NaN"),
                bad("negative alm dual step", 1, "--alm-dual-lr must be a finite number > 0, got -1.0",
                        "--alm-dual-lr", "-1"),
                bad("seed as a word", 2, "'x' is not a long", "--seed", "x"),
                bad("negative threads", 1, "--threads must be >= 1, got -1", "--threads", "-1"),
                bad("methods without a value", 2, "Missing required parameter for option '--methods'", "-m"));
    }

    static Stream<Hostile> badOutput() throws IOException {
        Path file = Files.writeString(tmp.resolve("out-file"), "a file, not a folder");
        return Stream.of(
                bad("-o under /proc/version", 1, "/proc/version is a file, not a folder", "-o", "/proc/version/x"),
                bad("-o a regular file", 1, file + " is a file, not a folder; write the run to another folder",
                        "-o", file.toString()),
                bad("-o under a regular file", 1, file + " is a file, not a folder", "-o",
                        file.resolve("runs").toString()),
                new Hostile("resume of a file", List.of("fairness", "--resume", file.toString()), 1,
                        "not a run folder"),
                new Hostile("resume of a missing folder", List.of("fairness", "--resume",
                        tmp.resolve("nowhere").toString()), 1, "not a run folder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"badData", "badOptions", "badOutput"})
    void refusedBeforeTraining(Hostile hostile) throws Exception {
        OneLineErrors.assertStopsWithOneLine(hostile.args().toArray(String[]::new), hostile.exitCode(),
                hostile.message(), tmp.resolve("runs"), "fairness");
        HostileFiles.assertNoTemporaries(tmp);
    }

    static Stream<BrokenRuns.BrokenRun> brokenRuns() {
        return Stream.concat(BrokenRuns.common("fairness", "--epochs must be >= 0, got -3").stream(), Stream.of(
                BrokenRuns.broken("unknown method", "--methods must be distinct names among",
                        BrokenRuns.config(c -> c.putArray("methods").add("fancy"))),
                BrokenRuns.broken("bound of 2", "--bound must be in [0, 1), got 2.0",
                        BrokenRuns.config(c -> c.put("bound", 2))),
                BrokenRuns.broken("hidden widths as text", "'hidden[0]' must be an integer",
                        BrokenRuns.config(c -> c.putArray("hidden").add("wide"))),
                BrokenRuns.broken("data file gone", "gone.csv, is missing; put it back there, or correct config.dataFile",
                        BrokenRuns.config(c -> c.put("dataFile", tmp.resolve("gone.csv").toString())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRuns")
    void refusedResumeLeavesTheRunAsItWas(BrokenRuns.BrokenRun broken) throws Exception {
        BrokenRuns.assertRefused(broken, finished, tmp.resolve("broken"),
                dir -> new String[]{"fairness", "--resume", dir.toString(), "--no-report"});
    }

    @Test
    void readOnlyOutputFolder() throws Exception {
        Path ro = tmp.resolve("read-only");
        assumeTrue(MOUNTS.mount(ro, "ro,size=1m"), "mounting a tmpfs needs root and a kernel that allows it");
        OneLineErrors.assertStopsWithOneLine(bad("read-only", 1, "", "-o", ro.toString()).args().toArray(String[]::new),
                1, ro + " is on a read-only file system; write the run to another folder (-o/--out-dir)", ro,
                "fairness");
    }

    /** A disk that fills up while the run writes its first checkpoint: one line naming the full folder and the fix. */
    @Test
    void fullDisk() throws Exception {
        Path full = tmp.resolve("full");
        assumeTrue(MOUNTS.mount(full, "size=64k"), "mounting a tmpfs needs root and a kernel that allows it");
        CliRun run = CliRun.of(bad("full", 1, "", "-o", full.toString()).args().toArray(String[]::new));
        OneLineErrors.assertFirstLine(run, 1, "no space left on " + full);
        assertTrue(run.err().lines().findFirst().orElse("").contains("free some space there or write the run to"
                + " another folder (-o/--out-dir)"), run.err());
        HostileFiles.assertNoTemporaries(full);
        Path dir = runFolder(full).orElseThrow();
        assertEquals("failed", RunFolder.readJson(dir.resolve(RunFiles.RUN_JSON)).path("status").asText());
    }

    /**
     * SSL-ALM with a primal step of 1e30 overflows in its first epoch, after Adam's stage finished: exit status 3,
     * the stage and the NaN named, the record says diverged, and Adam's last checkpoint is intact.
     */
    @Test
    void divergedRunKeepsItsLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("diverged");
        CliRun run = CliRun.of("fairness", "-m", "adam,sslalm", "--ssl-tau", "1e30", "--seeds", "1", "--epochs", "1",
                "-d", small.toString(), "-o", out.toString(), "--no-report");
        OneLineErrors.assertFirstLine(run, 3, "sslalm-s0 epoch 0: the training objective is NaN, the run diverged");
        assertTrue(run.err().contains("start a new run with a smaller learning rate or penalty coefficient"), run.err());
        Path dir = runFolder(out).orElseThrow();
        assertEquals("diverged", RunFolder.readJson(dir.resolve(RunFiles.RUN_JSON)).path("status").asText());
        JsonNode adam = RunFolder.readJson(dir.resolve(RunFiles.PROGRESS_JSON)).path("stages").path("adam-s0");
        assertEquals(1, adam.path("completedEpochs").asInt());
        Path checkpoint = dir.resolve(RunFiles.CHECKPOINTS).resolve(adam.path("checkpoint").asText());
        assertEquals(Optional.empty(), AtomicFiles.checksumProblem(checkpoint), "the last good checkpoint verifies");
        try (Stream<Path> files = Files.list(dir.resolve(RunFiles.CHECKPOINTS))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("sslalm")),
                    "no checkpoint of the diverged epoch");
        }
        HostileFiles.assertNoTemporaries(out);
    }

    private static Optional<Path> runFolder(Path out) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(d -> d.getFileName().toString().endsWith("-fairness")).findFirst();
        }
    }
}
