package dev.constrained4j.e2e;

import static dev.constrained4j.e2e.HostileFiles.IMAGES_MAGIC;
import static dev.constrained4j.e2e.HostileFiles.LABELS_MAGIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input to {@code mnist} (issue 13): damaged and wrong-format IDX files, every numeric option out of range,
 * not finite or of the wrong type, output folders that cannot be written, a full disk, run records edited by hand
 * for {@code --resume}, and a loss that overflows. Each stops with a non-zero status and a first line on standard
 * error that names the problem and the fix; input refused before training leaves no run folder, a refused resume
 * changes nothing, and nothing leaves a temporary file. The data are the first 300 + 100 shipped images, so every
 * refused case takes milliseconds and the runs that train take about a second.
 */
class MnistHostileInputTest {

    @TempDir
    static Path tmp;

    private static final Tmpfs MOUNTS = new Tmpfs();
    /** Valid data: the first 300 training and 100 test images. */
    private static Path tiny;
    /** A finished run on {@link #tiny}: the original of every damaged run folder. */
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
        tiny = HostileFiles.tinyMnist(tmp.resolve("tiny"), 300, 100);
        CliRun run = CliRun.of("mnist", "-e", "plain", "--warmup-epochs", "0", "--epochs", "1", "-d", tiny.toString(),
                "-o", tmp.resolve("finished").toString(), "--no-report");
        assertEquals(0, run.exitCode(), run.err());
        try (Stream<Path> dirs = Files.list(tmp.resolve("finished"))) {
            finished = dirs.filter(d -> d.getFileName().toString().endsWith("-mnist")).findFirst().orElseThrow();
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        MOUNTS.close();
    }

    /** A copy of the tiny data with one file replaced by {@code content}. */
    private static String dataWith(String name, String file, byte[] content) throws IOException {
        Path dir = HostileFiles.copyFolder(tiny, tmp.resolve("data").resolve(name));
        Files.write(dir.resolve(file), content);
        return dir.toString();
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        Path f = Files.createTempFile(tmp, "idx", ".gz");
        return Files.readAllBytes(HostileFiles.writeIdx(f, magic, dims, data, true));
    }

    private static Hostile badData(String name, String data, String message) {
        return new Hostile(name, List.of("mnist", "-e", "plain", "--warmup-epochs", "0", "--epochs", "1", "-d", data,
                "-o", tmp.resolve("runs").toString(), "--no-report"), 1, message);
    }

    private static Hostile bad(String name, int exit, String message, String... options) {
        List<String> args = new ArrayList<>(List.of("mnist", "-e", "plain", "--warmup-epochs", "0", "--epochs", "1",
                "-d", tiny.toString(), "--no-report"));
        if (!List.of(options).contains("-o")) {
            args.addAll(List.of("-o", tmp.resolve("runs").toString()));
        }
        args.addAll(List.of(options));
        return new Hostile(name, args, exit, message);
    }

    static Stream<Hostile> badData() throws IOException {
        String images = "train-images-idx3-ubyte.gz";
        String labels = "train-labels-idx1-ubyte.gz";
        byte[] pixels = HostileFiles.gunzip(tiny.resolve(images));
        byte[] png = HostileFiles.png(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        Path raw = HostileFiles.copyFolder(tiny, tmp.resolve("data").resolve("raw-truncated"));
        Files.delete(raw.resolve(images));
        Files.write(raw.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(pixels, pixels.length / 2));
        Path folder = HostileFiles.copyFolder(tiny, tmp.resolve("data").resolve("folder-named-gz"));
        Files.delete(folder.resolve(images));
        Files.createDirectory(folder.resolve(images));
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        return Stream.of(
                badData("random bytes as images", dataWith("random", images, HostileFiles.randomBytes(5000, 1)),
                        "train-images-idx3-ubyte.gz is not an IDX file of unsigned bytes"),
                badData("a PNG renamed .gz", dataWith("png", images, png), "magic number 0x89504E47"),
                badData("gzip header over garbage", dataWith("bad-gzip", images, HostileFiles.concat(
                        new byte[]{0x1f, (byte) 0x8b}, HostileFiles.randomBytes(300, 2))), "is a corrupt gzip file"),
                badData("empty images file", dataWith("empty", images, new byte[0]),
                        "is truncated: it ends inside its header"),
                badData("raw IDX cut in half", raw.toString(), "train-images-idx3-ubyte is truncated: header"
                        + " [300, 28, 28] announces 235200 bytes"),
                badData("labels where the images should be", dataWith("swapped", images,
                        Files.readAllBytes(tiny.resolve(labels))), "magic number 0x00000801, expected 0x00000803"),
                badData("images where the labels should be", dataWith("swapped-back", labels,
                        Files.readAllBytes(tiny.resolve(images))), "magic number 0x00000803, expected 0x00000801"),
                badData("fewer labels than images", dataWith("count", labels,
                        idx(LABELS_MAGIC, new int[]{299}, new byte[299])), "has 300 images but"),
                badData("label 12", dataWith("label", labels, idx(LABELS_MAGIC, new int[]{300}, filled(300, 12))),
                        "label 0 is 12, expected 0..9"),
                badData("14x14 images", dataWith("small", images,
                        idx(IMAGES_MAGIC, new int[]{300, 14, 14}, new byte[300 * 196])),
                        "holds 14x14 images; the model expects 28x28"),
                badData("no images in the header", dataWith("zero", images,
                        idx(IMAGES_MAGIC, new int[]{0, 28, 28}, new byte[0])), "is corrupt: dimension 0 is 0"),
                badData("bytes after the data", dataWith("trailing", images,
                        HostileFiles.gzip(HostileFiles.concat(pixels, new byte[]{1, 2, 3}))),
                        "has data after the 235200 bytes"),
                badData("a header announcing 78 billion pixels", dataWith("huge", images,
                        idx(IMAGES_MAGIC, new int[]{100000, 28000, 28}, new byte[0])),
                        "announces 78400000000 values, more than an IDX file can hold"),
                badData("a folder named like the images", folder.toString(), "MNIST file not found"),
                badData("-d pointing at a file", file.toString(), "MNIST file not found"));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static Stream<Hostile> badOptions() {
        return Stream.of(
                new Hostile("a mode twice", List.of("mnist", "-e", "plain,plain", "-o", tmp.resolve("runs").toString()),
                        1, "modes must be distinct (each is trained once), got [plain, plain]"),
                bad("epochs as a word", 2, "Invalid value for option '--epochs': 'ten'", "--epochs", "ten"),
                bad("NaN learning rate", 1, "learningRate must be a finite number > 0, got NaN", "--lr", "NaN"),
                bad("negative learning rate", 1, "learningRate must be a finite number > 0, got -1.0", "--lr", "-1"),
                bad("infinite learning rate", 1, "learningRate must be a finite number > 0, got Infinity", "--lr",
                        "Infinity"),
                bad("batch size 0", 1, "batchSize must be >= 1, got 0", "--batch-size", "0"),
                bad("batch size a fraction", 2, "'1.5' is not an int", "--batch-size", "1.5"),
                bad("evaluation batch size 0", 1, "evalBatchSize must be >= 1, got 0", "--eval-batch-size", "0"),
                bad("bound inf", 2, "'inf' is not a double", "--bound", "inf"),
                bad("infinite bound", 1, "bound must be a finite number >= 0, got Infinity", "--bound", "Infinity"),
                bad("NaN bound", 1, "bound must be a finite number >= 0, got NaN", "--bound", "NaN"),
                bad("negative bound", 1, "bound must be a finite number >= 0, got -0.1", "--bound", "-0.1"),
                bad("negative train limit", 1, "trainLimit must be >= 0, got -1", "--train-limit", "-1"),
                bad("train limit beyond an int", 2, "'99999999999' is not an int", "--train-limit", "99999999999"),
                bad("negative test limit", 1, "testLimit must be >= 0, got -5", "--test-limit", "-5"),
                new Hostile("negative warm-up", List.of("mnist", "--warmup-epochs", "-1", "-o",
                        tmp.resolve("runs").toString()), 1, "warmupEpochs must be >= 0, got -1"),
                bad("NaN weight decay", 1, "weightDecay must be a finite number >= 0, got NaN", "--weight-decay", "NaN"),
                bad("infinite fixed penalty", 1, "penaltyFixed must be a finite number >= 0, got Infinity", "-pf",
                        "Infinity"),
                bad("negative fixed penalty", 1, "penaltyFixed must be a finite number >= 0, got -1.0", "-pf", "-1"),
                bad("NaN penalty base", 1, "penaltyBase must be a finite number >= 0, got NaN", "-pb", "NaN"),
                bad("shrinking penalty", 1, "penaltyGrow must be a finite number >= 1, got 0.5", "-pg", "0.5"),
                bad("penalty cap below its base", 1, "penaltyCap must be >= penaltyBase (100.0), got 1.0",
                        "--penalty-cap", "1"),
                bad("unknown penalty function", 1, "--penalty-function must be hinge or squared-hinge, got 'cubic'",
                        "--penalty-function", "cubic"),
                bad("NaN alm rho", 1, "rho must be a finite number >= 0, got NaN", "--alm-rho", "NaN"),
                bad("shrinking alm rho", 1, "rhoGrowth must be a finite number >= 1, got 0.5", "--alm-rho-grow", "0.5"),
                bad("alm rho cap below rho", 1, "rhoCap must be >= rho (1000.0), got 1.0", "--alm-rho-cap", "1"),
                bad("negative multiplier bound", 1, "maxMultiplier must be > 0", "--alm-max-multiplier", "-1"),
                bad("negative dual step", 1, "dualLearningRate must be a finite number >= 0", "--alm-dual-lr", "-1"),
                bad("threads 0", 1, "threads must be >= 1, got 0", "--threads", "0"),
                bad("seed as a word", 2, "'abc' is not a long", "--seed", "abc"),
                bad("seed in scientific notation", 2, "'1e3' is not a long", "--seed", "1e3"),
                bad("unknown engine", 1, "engine must be fused or samediff, got 'gpu'", "--engine", "gpu"),
                bad("UI port beyond 65535", 1, "port must be in 0..65535, got 70000", "--ui-port", "70000"),
                bad("option without its value", 2, "Missing required parameter for option '--lr'", "--lr"));
    }

    static Stream<Hostile> badOutput() throws IOException {
        Path file = Files.writeString(tmp.resolve("out-file"), "a file, not a folder");
        return Stream.of(
                bad("-o under /proc/version", 1, "/proc/version is a file, not a folder", "-o", "/proc/version/x"),
                bad("-o a regular file", 1, file + " is a file, not a folder; write the run to another folder",
                        "-o", file.toString()),
                bad("-o under a regular file", 1, file + " is a file, not a folder", "-o",
                        file.resolve("runs").toString()),
                new Hostile("resume of a file", List.of("mnist", "--resume", file.toString()), 1, "not a run folder"),
                new Hostile("resume of a missing folder", List.of("mnist", "--resume", tmp.resolve("nowhere").toString()),
                        1, "not a run folder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"badData", "badOptions", "badOutput"})
    void refusedBeforeTraining(Hostile hostile) throws Exception {
        OneLineErrors.assertStopsWithOneLine(hostile.args().toArray(String[]::new), hostile.exitCode(),
                hostile.message(), tmp.resolve("runs"), "mnist");
        HostileFiles.assertNoTemporaries(tmp);
    }

    static Stream<BrokenRuns.BrokenRun> brokenRuns() {
        return Stream.concat(BrokenRuns.common("mnist", "epochs must be >= 0, got -3").stream(), Stream.of(
                BrokenRuns.broken("unknown mode", "modes", BrokenRuns.config(c -> c.putArray("modes").add("fancy"))),
                BrokenRuns.broken("unknown penalty function", "penaltyFunction",
                        BrokenRuns.config(c -> c.put("penaltyFunction", "cubic"))),
                BrokenRuns.broken("batch size 0", "batchSize must be >= 1, got 0",
                        BrokenRuns.config(c -> c.put("batchSize", 0))),
                BrokenRuns.broken("data folder gone", "MNIST file not found",
                        BrokenRuns.config(c -> c.put("dataDir", tmp.resolve("gone").toString())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRuns")
    void refusedResumeLeavesTheRunAsItWas(BrokenRuns.BrokenRun broken) throws Exception {
        BrokenRuns.assertRefused(broken, finished, tmp.resolve("broken"),
                dir -> new String[]{"mnist", "--resume", dir.toString(), "--no-report"});
    }

    @Test
    void readOnlyOutputFolder() throws Exception {
        Path ro = tmp.resolve("read-only");
        assumeTrue(MOUNTS.mount(ro, "ro,size=1m"), "mounting a tmpfs needs root and a kernel that allows it");
        OneLineErrors.assertStopsWithOneLine(bad("read-only", 1, "", "-o", ro.toString()).args().toArray(String[]::new),
                1, ro + " is on a read-only file system; write the run to another folder (-o/--out-dir)", ro, "mnist");
        OneLineErrors.assertStopsWithOneLine(bad("read-only", 1, "", "-o", ro.resolve("sub").toString()).args()
                .toArray(String[]::new), 1, "is on a read-only file system", ro, "mnist");
    }

    /**
     * A disk that fills up while the run writes its warm model: one line naming the full folder and the fix, the
     * record says failed, and no half-written or temporary file is left.
     */
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
        assertFalse(Files.exists(dir.resolve("warm-model.zip")), "no half-written warm model");
    }

    /**
     * A fixed penalty of 1e300 overflows the float gradients in the first refinement epoch: exit status 3, the stage and
     * the NaN named, the record says diverged, and the warm-up's checkpoint (the last good epoch) is intact.
     */
    @Test
    void divergedRunKeepsItsLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("diverged");
        CliRun run = CliRun.of("mnist", "-e", "fixed", "-pf", "1e300", "--warmup-epochs", "1", "--epochs", "2",
                "-d", tiny.toString(), "-o", out.toString(), "--no-report");
        OneLineErrors.assertFirstLine(run, 3, "fixed epoch 0: the training objective is NaN, the run diverged");
        assertTrue(run.err().contains("start a new run with a smaller learning rate or penalty coefficient"), run.err());
        Path dir = runFolder(out).orElseThrow();
        assertEquals("diverged", RunFolder.readJson(dir.resolve(RunFiles.RUN_JSON)).path("status").asText());
        JsonNode warm = RunFolder.readJson(dir.resolve(RunFiles.PROGRESS_JSON)).path("stages").path("warm");
        assertEquals(1, warm.path("completedEpochs").asInt());
        Path checkpoint = dir.resolve(RunFiles.CHECKPOINTS).resolve(warm.path("checkpoint").asText());
        assertEquals(Optional.empty(), AtomicFiles.checksumProblem(checkpoint), "the last good checkpoint verifies");
        try (Stream<Path> files = Files.list(dir.resolve(RunFiles.CHECKPOINTS))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("fixed-")),
                    "no checkpoint of the diverged epoch");
        }
        HostileFiles.assertNoTemporaries(out);
    }

    @Test
    void testImagesOfAnotherSize() throws Exception {
        String data = dataWith("small-test", "t10k-images-idx3-ubyte.gz",
                idx(IMAGES_MAGIC, new int[]{100, 14, 14}, new byte[100 * 196]));
        OneLineErrors.assertStopsWithOneLine(badData("14x14 test images", data, "").args().toArray(String[]::new), 1,
                "holds 14x14 test images; the model expects 28x28", tmp.resolve("runs"), "mnist");
    }

    @Test
    void nanDualStep() throws Exception {
        OneLineErrors.assertStopsWithOneLine(new String[]{"mnist", "-e", "alm", "--alm-dual-lr", "NaN", "-d",
                tiny.toString(), "-o", tmp.resolve("runs").toString()}, 1,
                "--alm-dual-lr must be a finite number >= 0, got NaN", tmp.resolve("runs"), "mnist");
    }

    @Test
    void unwritableWarmModelPath() throws Exception {
        OneLineErrors.assertStopsWithOneLine(bad("-wmp under /proc/version", 1, "", "-wmp", "/proc/version/x").args()
                .toArray(String[]::new), 1, "/proc/version is a file, not a folder", tmp.resolve("runs"), "mnist");
    }

    private static Optional<Path> runFolder(Path out) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(d -> d.getFileName().toString().endsWith("-mnist")).findFirst();
        }
    }
}
