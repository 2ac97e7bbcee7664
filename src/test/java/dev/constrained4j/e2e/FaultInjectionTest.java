package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill -9 anywhere: real training processes of each runner are started and killed with SIGKILL at seeded random
 * moments (start-up, inside an epoch, during a checkpoint write, a metrics.csv rewrite or the report: wherever the
 * moment falls), then resumed; after {@link #KILLS} kills the run is resumed to its end, and its metrics must equal
 * those of an uninterrupted run with the same configuration (every column but the timings), with every file of the
 * run folder complete and readable and no temporary file left. A failure names the seed and the kill times, so it
 * can be replayed.
 */
class FaultInjectionTest {

    /** Kill points per runner. */
    static final int KILLS = 10;

    @TempDir
    Path tmp;

    /** One runner's invocation: the arguments of a new run, and how its run folders end. */
    record Runner(String name, long seed, List<String> args, String experiment) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Runner> runners() {
        return Stream.of(
                new Runner("fairness", 11, List.of("fairness", "-d", RepoPaths.cpssw8().toString(), "-m",
                        "adam,sslalm,alm", "--seeds", "1", "--epochs", "4", "--per-group", "64", "--hidden", "16,8"),
                        "fairness"),
                new Runner("mnist", 12, List.of("mnist", "-d", RepoPaths.mnist().toString(), "-e", "penalty,alm",
                        "--train-limit", "1500", "--test-limit", "300", "--warmup-epochs", "1", "--epochs", "3"),
                        "mnist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runners")
    void killedRunsResumeToTheUninterruptedMetrics(Runner runner) throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, start(runner, reference, List.of(), tmp.resolve("reference.log")).waitFor(),
                "uninterrupted run of " + runner);
        Path expected = onlyRun(reference, runner.experiment());

        Path out = tmp.resolve("killed");
        SplittableRandom random = new SplittableRandom(runner.seed());
        List<Long> kills = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Path dir = runFolder(out, runner.experiment());
            Path log = tmp.resolve("attempt-" + k + ".log");
            Process p = start(runner, out, dir == null ? List.of() : List.of("--resume", dir.toString()), log);
            // even attempts: a moment from the process's start (start-up, data, run folder); odd ones: a moment after
            // its first epoch line, inside training, checkpoints, metrics and report
            long delay = k % 2 == 0 ? 300 + random.nextLong(5000) : random.nextLong(2500);
            if (k % 2 == 1 && !awaitEpoch(p, log)) {
                kills.add(-1L);
                continue;
            }
            if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                // finished before the kill: the next attempt resumes a finished run, which must do nothing harmful
                kills.add(-delay);
                continue;
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed process ended");
            kills.add(delay);
        }
        Path dir = runFolder(out, runner.experiment());
        String replay = runner + " seed " + runner.seed() + ", kills after (ms; negative: finished first) " + kills;
        Process last = start(runner, out, dir == null ? List.of() : List.of("--resume", dir.toString()),
                tmp.resolve("last.log"));
        assertEquals(0, last.waitFor(), "final resume: " + replay);
        Path finished = runFolder(out, runner.experiment());
        assertEquals(MetricsRows.withoutTimings(expected), MetricsRows.withoutTimings(finished), replay);
        assertEquals("completed", new ObjectMapper().readTree(finished.resolve("run.json").toFile())
                .path("status").asText(), replay);
        try (Stream<Path> files = Files.walk(finished)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertFalse(name.endsWith(".tmp") || name.startsWith("."), "temporary file left: " + f + "; " + replay);
                if (name.endsWith(".json")) {
                    new ObjectMapper().readTree(f.toFile());
                }
                if (name.endsWith(".html")) {
                    assertTrue(Files.readString(f).trim().endsWith("</html>"), "complete report: " + f);
                }
            }
        }
    }

    /** Waits until the process logged an epoch (true) or ended (false). */
    private static boolean awaitEpoch(Process p, Path log) throws Exception {
        while (p.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains("] epoch ")) {
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
                    .filter(d -> Files.isRegularFile(d.resolve("run.json"))).toList();
            assertTrue(runs.size() <= 1, "at most one run record: " + runs);
            return runs.isEmpty() ? null : runs.get(0);
        }
    }

    private static Path onlyRun(Path out, String experiment) throws Exception {
        Path dir = runFolder(out, experiment);
        assertTrue(dir != null, "a run folder in " + out);
        return dir;
    }

    /** Starts the command line in a new JVM with this JVM's class path and options, output to a log file. */
    private static Process start(Runner runner, Path out, List<String> resume, Path log) throws Exception {
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
        if (resume.isEmpty()) {
            command.addAll(runner.args());
            command.add("-o");
            command.add(out.toString());
        } else {
            command.add(runner.args().get(0));
            command.addAll(resume);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }
}
