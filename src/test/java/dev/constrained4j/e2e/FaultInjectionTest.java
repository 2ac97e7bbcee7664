package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.reports.run.RunFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill -9 anywhere: real training processes of the four runners ({@code fairness}, {@code mnist}, {@code hidden new}
 * and {@code weights}, each on a tiny configuration of several epochs and more than one mode) are started and killed
 * with SIGKILL at {@link #KILLS} seeded random moments per runner (start-up, inside an epoch, during a checkpoint
 * write, a metrics.csv rewrite, the test evaluation or the report: wherever the moment falls), each kill followed by
 * a resume of the run folder ({@code --resume RUN}, or {@code hidden continue RUN}); after the last kill the run is
 * resumed to its end. It must then be what an uninterrupted run with the same configuration is: the same metrics
 * (every column but the timings), {@code run.json} "completed", the same files, byte for byte where they hold no
 * wall-clock time (weights, per-sample tables, images, progress), every file complete and readable, and no temporary
 * file left. A failure names the runner's seed and what each attempt did (killed after how long, with how many epochs
 * logged, or ended by itself), so it can be replayed.
 */
class FaultInjectionTest {

    /** Kill points per runner. */
    static final int KILLS = 10;

    /** What every runner's console progress logs at the end of an epoch ({@code [mode] epoch 2/3 …}). */
    private static final String EPOCH_LINE = "] epoch ";

    /** The longest any one process may run before the test gives up on it (a hang, not a slow machine). */
    private static final long PROCESS_LIMIT_MINUTES = 10;

    @TempDir
    Path tmp;

    /**
     * One runner's invocation: the arguments of a new run (without {@code -o OUT}), the suffix of its run folders'
     * names, and the arguments that resume a run folder.
     */
    record Runner(String name, long seed, List<String> args, String experiment, Function<Path, List<String>> resume) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The resume of the commands that share {@code RunMixin}: {@code COMMAND --resume RUN}. */
    private static Function<Path, List<String>> resumeOption(String command) {
        return dir -> List.of(command, "--resume", dir.toString());
    }

    static Stream<Runner> runners() {
        return Stream.of(
                new Runner("fairness", 11, List.of("fairness", "-d", RepoPaths.cpssw8().toString(), "-m",
                        "adam,sslalm,alm", "--seeds", "1", "--epochs", "4", "--per-group", "64", "--hidden", "16,8"),
                        "fairness", resumeOption("fairness")),
                new Runner("mnist", 12, List.of("mnist", "-d", RepoPaths.mnist().toString(), "-e", "penalty,alm",
                        "--train-limit", "1500", "--test-limit", "300", "--warmup-epochs", "1", "--epochs", "3"),
                        "mnist", resumeOption("mnist")),
                // the baseline and one floor, 10 epochs of 4 batches each (about 8 s of training on an idle core),
                // then the test split and the downstream check
                new Runner("hidden", 13, List.of("hidden", "new", "--baseline", "--PSNR", "30", "-d",
                        RepoPaths.mriSlices().toString(), "--train-limit", "32", "--val-limit", "8", "--test-limit", "8",
                        "-s", "16", "-m", "8", "--channels", "8", "-b", "8", "-e", "10", "--downstream-epochs", "1",
                        "--seed", "7"),
                        "hidden", dir -> List.of("hidden", "continue", dir.toString())),
                // the fixed penalty and SAL (one augmented-Lagrangian iteration per shuffle), 6 epochs of 8 batches
                // each (about 11 s of training on an idle core)
                new Runner("weights", 14, List.of("weights", "--datasets", "mnist", "--mnist-dir",
                        RepoPaths.mnist().toString(), "-c", "l2-orth", "-m", "fp,sal", "--penalties", "1e-2",
                        "--settings", "1", "--seeds", "1", "--epochs", "6", "--sal-iterations", "1", "--train-limit",
                        "512", "--test-limit", "200", "--batch-size", "64"),
                        "weights", resumeOption("weights")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runners")
    void killedRunsResumeToTheUninterruptedRun(Runner runner, TestReporter reporter) throws Exception {
        // the uninterrupted run trains beside the killed ones: a folder of its own, and the second core
        Path reference = tmp.resolve("reference");
        Path referenceLog = tmp.resolve("reference.log");
        Process uninterrupted = start(runner, reference, null, referenceLog);
        String replay;
        try {
            replay = runner + " seed " + runner.seed() + ", attempts " + killAndResume(runner, tmp.resolve("killed"));
            awaitSuccess(uninterrupted, referenceLog, "the uninterrupted run of " + runner);
        } finally {
            uninterrupted.destroyForcibly();
        }
        reporter.publishEntry("attempts", replay);
        Path expected = runFolder(reference, runner.experiment());
        assertTrue(expected != null, "a run folder in " + reference);
        Path finished = runFolder(tmp.resolve("killed"), runner.experiment());
        assertEquals(MetricsRows.withoutTimings(expected), MetricsRows.withoutTimings(finished), replay);
        assertEquals("completed", new ObjectMapper().readTree(finished.resolve(RunFiles.RUN_JSON).toFile())
                .path("status").asText(), replay);
        assertEquals(files(expected), files(finished), "the files of the run folder; " + replay);
        List<Path> differ = new ArrayList<>();
        for (Path file : files(finished)) {
            Path f = finished.resolve(file);
            String name = f.getFileName().toString();
            assertFalse(name.endsWith(".tmp") || name.startsWith("."), "temporary file left: " + f + "; " + replay);
            if (name.endsWith(".json")) {
                new ObjectMapper().readTree(f.toFile());
            }
            if (name.endsWith(".html")) {
                assertTrue(Files.readString(f).trim().endsWith("</html>"), "complete report: " + f + "; " + replay);
            }
            if (!holdsTimes(file) && !content(f).equals(content(expected.resolve(file)))) {
                differ.add(file);
            }
        }
        assertEquals(List.of(), differ, "files that differ from the uninterrupted run's; " + replay);
    }

    /**
     * Starts a new run of {@code runner} under {@code out}, kills it {@link #KILLS} times, resuming it after each
     * kill, then resumes it to its end.
     *
     * @return what each attempt did, for the failure messages
     */
    private List<String> killAndResume(Runner runner, Path out) throws Exception {
        SplittableRandom random = new SplittableRandom(runner.seed());
        List<String> attempts = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Path log = tmp.resolve("attempt-" + k + ".log");
            // even attempts: a moment from the process's start (start-up, data, run folder, first epoch); odd ones: a
            // moment after its first epoch line, inside training, checkpoints, metrics, test evaluation and report
            long delay = k % 2 == 0 ? 300 + random.nextLong(5000) : random.nextLong(2500);
            long started = System.nanoTime();
            Process p = start(runner, out, runFolder(out, runner.experiment()), log);
            try {
                if (k % 2 == 1 && !awaitEpoch(p, log)) {
                    awaitSuccess(p, log, "attempt " + k + " of " + runner + " (not killed) after " + attempts);
                    attempts.add("ended by itself after " + millisSince(started) + " ms, before an epoch");
                } else if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    // ended before the kill: the next attempt resumes a finished run, which must do nothing harmful
                    awaitSuccess(p, log, "attempt " + k + " of " + runner + " (not killed) after " + attempts);
                    attempts.add("ended by itself after " + millisSince(started) + " ms");
                } else {
                    p.destroyForcibly();
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed process ended");
                    attempts.add("killed after " + millisSince(started) + " ms, " + epochLines(log) + " epochs logged");
                }
            } finally {
                p.destroyForcibly();
            }
        }
        Process last = start(runner, out, runFolder(out, runner.experiment()), tmp.resolve("last.log"));
        awaitSuccess(last, tmp.resolve("last.log"), "the final resume of " + runner + " after " + attempts);
        return attempts;
    }

    /**
     * Whether a run file holds wall-clock times, so that a resumed run's differs from an uninterrupted one's:
     * run.json (start and end), metrics.csv (compared without its timings), the report (which shows them) and the
     * checkpoints (the training time so far, which the elapsed column goes on from).
     */
    private static boolean holdsTimes(Path file) {
        String name = file.getFileName().toString();
        return name.equals(RunFiles.RUN_JSON) || name.equals(RunFiles.METRICS_CSV) || name.endsWith(".html")
                || file.startsWith(RunFiles.CHECKPOINTS);
    }

    /** A file's SHA-256; for a zip, its entries' names and SHA-256s (without the entries' modification times). */
    private static List<String> content(Path file) throws Exception {
        if (!file.getFileName().toString().endsWith(".zip")) {
            return List.of(sha256(Files.readAllBytes(file)));
        }
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName() + " " + sha256(zip.readAllBytes()));
            }
        }
        return entries;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The regular files under a run folder, relative to it. */
    private static SortedSet<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(dir::relativize).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Waits for a process that must succeed; on a failure or a hang, the message ends with its log's last lines. */
    private static void awaitSuccess(Process p, Path log, String what) throws Exception {
        if (!p.waitFor(PROCESS_LIMIT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(what + " did not end within " + PROCESS_LIMIT_MINUTES + " minutes:\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), what + " failed:\n" + tail(log));
    }

    /** The last lines of a log, for a failure message. */
    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** How many epochs a process logged. */
    private static long epochLines(Path log) throws Exception {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(EPOCH_LINE)).count();
        }
    }

    /** Waits until the process logged an epoch (true) or ended (false). */
    private static boolean awaitEpoch(Process p, Path log) throws Exception {
        while (p.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(EPOCH_LINE)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The run folder that has a run record (a kill before it was written leaves none, or an empty folder). */
    private static Path runFolder(Path out, String experiment) throws Exception {
        if (!Files.isDirectory(out)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(out)) {
            List<Path> runs = dirs.filter(d -> d.getFileName().toString().endsWith("-" + experiment))
                    .filter(d -> Files.isRegularFile(d.resolve(RunFiles.RUN_JSON))).toList();
            assertTrue(runs.size() <= 1, "at most one run record: " + runs);
            return runs.isEmpty() ? null : runs.get(0);
        }
    }

    /**
     * Starts the command line in a new JVM with this JVM's class path and options, output to a log file: a new run
     * under {@code out}, or the resume of {@code dir} if it is not null.
     */
    private static Process start(Runner runner, Path out, Path dir, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.constrained4j.runners.Main");
        if (dir == null) {
            command.addAll(runner.args());
            command.add("-o");
            command.add(out.toString());
        } else {
            command.addAll(runner.resume().apply(dir));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }
}
