package dev.constrained4j.e2e;

import static dev.constrained4j.e2e.HostileFiles.IMAGES_MAGIC;
import static dev.constrained4j.e2e.HostileFiles.LABELS_MAGIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
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
 * Hostile input to {@code weights} (issue 13): damaged and wrong-format IDX files (images of another size
 * included), every numeric option out of range, not finite or of the wrong type, output folders that cannot be
 * written, a full disk, run records edited by hand for {@code --resume}, and a loss that overflows. Each stops with
 * a non-zero status and a first line on standard error that names the problem and the fix; input refused before
 * training leaves no run folder, a refused resume changes nothing, and nothing leaves a temporary file. The data are
 * the first 300 + 100 shipped MNIST images (64 + 32 of them trained on), one data set, one constraint set, one
 * setting, one epoch.
 */
class WeightsHostileInputTest {

    @TempDir
    static Path tmp;

    private static final Tmpfs MOUNTS = new Tmpfs();
    /** Valid data: the first 300 training and 100 test images of MNIST. */
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
        CliRun run = CliRun.of(small("--mnist-dir", tiny.toString(), "-o", tmp.resolve("finished").toString()));
        assertEquals(0, run.exitCode(), run.err());
        finished = runFolder(tmp.resolve("finished")).orElseThrow();
    }

    @AfterAll
    static void unmount() throws Exception {
        MOUNTS.close();
    }

    /** The options of a small, fast run, then {@code options}. */
    private static String[] small(String... options) {
        List<String> all = new ArrayList<>(List.of("weights", "--datasets", "mnist", "-c", "l2-orth", "-m", "fp",
                "--settings", "1", "--epochs", "1", "--train-limit", "64", "--test-limit", "32", "--no-report"));
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
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
        return new Hostile(name, List.of(small("--mnist-dir", data, "-o", tmp.resolve("runs").toString())), 1,
                message);
    }

    private static Hostile bad(String name, int exit, String message, String... options) {
        List<String> all = new ArrayList<>(List.of(small("--mnist-dir", tiny.toString())));
        if (!List.of(options).contains("-o")) {
            all.addAll(List.of("-o", tmp.resolve("runs").toString()));
        }
        all.addAll(List.of(options));
        return new Hostile(name, all, exit, message);
    }

    static Stream<Hostile> badData() throws IOException {
        String images = "train-images-idx3-ubyte.gz";
        String labels = "train-labels-idx1-ubyte.gz";
        byte[] pixels = HostileFiles.gunzip(tiny.resolve(images));
        byte[] twelve = new byte[300];
        Arrays.fill(twelve, (byte) 12);
        Path folder = HostileFiles.copyFolder(tiny, tmp.resolve("data").resolve("folder-named-gz"));
        Files.delete(folder.resolve(images));
        Files.createDirectory(folder.resolve(images));
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        return Stream.of(
                badData("random bytes as images", dataWith("random", images, HostileFiles.randomBytes(5000, 1)),
                        "train-images-idx3-ubyte.gz is not an IDX file of unsigned bytes"),
                badData("a PNG renamed .gz", dataWith("png", images,
                        HostileFiles.png(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY)),
                        "magic number 0x89504E47"),
                badData("gzip header over garbage", dataWith("bad-gzip", images, HostileFiles.concat(
                        new byte[]{0x1f, (byte) 0x8b}, HostileFiles.randomBytes(300, 2))), "is a corrupt gzip file"),
                badData("empty images file", dataWith("empty", images, new byte[0]),
                        "is truncated: it ends inside its header"),
                badData("gzip cut in half", dataWith("cut", images, Arrays.copyOf(Files.readAllBytes(
                        tiny.resolve(images)), (int) Files.size(tiny.resolve(images)) / 2)),
                        "train-images-idx3-ubyte.gz is truncated"),
                badData("fewer labels than images", dataWith("count", labels,
                        idx(LABELS_MAGIC, new int[]{299}, new byte[299])), "has 300 images but"),
                badData("label 12", dataWith("label", labels, idx(LABELS_MAGIC, new int[]{300}, twelve)),
                        "label 0 is 12, expected 0..9"),
                badData("14x14 training images", dataWith("small", images,
                        idx(IMAGES_MAGIC, new int[]{300, 14, 14}, new byte[300 * 196])),
                        "holds 14x14 training images; the CNN reads 28x28 grey images: point --mnist-dir at the IDX"
                                + " files of MNIST"),
                badData("14x14 test images", dataWith("small-test", "t10k-images-idx3-ubyte.gz",
                        idx(IMAGES_MAGIC, new int[]{100, 14, 14}, new byte[100 * 196])),
                        "holds 14x14 test images; the CNN reads 28x28"),
                badData("no images in the header", dataWith("zero", images,
                        idx(IMAGES_MAGIC, new int[]{0, 28, 28}, new byte[0])), "is corrupt: dimension 0 is 0"),
                badData("bytes after the data", dataWith("trailing", images,
                        HostileFiles.gzip(HostileFiles.concat(pixels, new byte[]{1, 2, 3}))),
                        "has data after the 235200 bytes"),
                badData("a header announcing 78 billion pixels", dataWith("huge", images,
                        idx(IMAGES_MAGIC, new int[]{100000, 28000, 28}, new byte[0])),
                        "more than an IDX file can hold"),
                badData("a folder named like the images", folder.toString(), "MNIST file not found"),
                badData("--mnist-dir a file", file.toString(), "no mnist folder " + file
                        + "; point --mnist-dir at a folder with the four MNIST IDX files"),
                new Hostile("--fashion-dir a file", List.of("weights", "--datasets", "fashion-mnist", "--fashion-dir",
                        file.toString(), "-o", tmp.resolve("runs").toString()), 1,
                        "run scripts/make-fashion-mnist-data.sh"));
    }

    static Stream<Hostile> badOptions() {
        return Stream.of(
                bad("NaN learning rate", 1, "--lr must be a finite number > 0, got NaN", "--lr", "NaN"),
                bad("infinite learning rate", 1, "--lr must be a finite number > 0, got Infinity", "--lr", "Infinity"),
                bad("learning rate 0", 1, "--lr must be a finite number > 0, got 0.0", "--lr", "0"),
                bad("negative batch size", 1, "--batch-size must be >= 1, got -1", "--batch-size", "-1"),
                bad("negative seeds", 1, "--seeds must be >= 1, got -2", "--seeds", "-2"),
                bad("0 SAL iterations", 1, "--sal-iterations must be >= 1, got 0", "--sal-iterations", "0"),
                bad("infinite penalty", 1, "--penalties must be one or more finite numbers > 0, got [Infinity]",
                        "--penalties", "Infinity"),
                bad("penalty 0", 1, "--penalties must be one or more finite numbers > 0, got [0.0]", "--penalties",
                        "0"),
                bad("a NaN among the penalties", 1, "got [0.001, NaN]", "--penalties", "1e-3,NaN"),
                bad("a word among the penalties", 2, "'a' is not a double", "--penalties", "a"),
                new Hostile("more settings than penalties", List.of("weights", "--settings", "5", "-o",
                        tmp.resolve("runs").toString()), 1, "--settings must be in [1, 4]"),
                new Hostile("negative epochs", List.of("weights", "--epochs", "-1", "-o",
                        tmp.resolve("runs").toString()), 1, "--epochs must be >= 1, got -1"),
                new Hostile("negative test limit", List.of("weights", "--test-limit", "-1", "-o",
                        tmp.resolve("runs").toString()), 1, "--test-limit must be >= 0, got -1"),
                new Hostile("train limit beyond an int", List.of("weights", "--train-limit", "99999999999"), 2,
                        "'99999999999' is not an int"),
                bad("seed a fraction", 2, "'1.5' is not a long", "--seed", "1.5"),
                bad("negative threads", 1, "--threads must be >= 1, got -1", "--threads", "-1"),
                bad("constraints without a value", 2, "Missing required parameter for option '--constraints'", "-c"));
    }

    static Stream<Hostile> badOutput() throws IOException {
        Path file = Files.writeString(tmp.resolve("out-file"), "a file, not a folder");
        return Stream.of(
                bad("-o under /proc/version", 1, "/proc/version is a file, not a folder", "-o", "/proc/version/x"),
                bad("-o a regular file", 1, file + " is a file, not a folder; write the run to another folder",
                        "-o", file.toString()),
                bad("-o under a regular file", 1, file + " is a file, not a folder", "-o",
                        file.resolve("runs").toString()),
                new Hostile("resume of a file", List.of("weights", "--resume", file.toString()), 1,
                        "not a run folder"),
                new Hostile("resume of a missing folder", List.of("weights", "--resume",
                        tmp.resolve("nowhere").toString()), 1, "not a run folder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"badData", "badOptions", "badOutput"})
    void refusedBeforeTraining(Hostile hostile) throws Exception {
        OneLineErrors.assertStopsWithOneLine(hostile.args().toArray(String[]::new), hostile.exitCode(),
                hostile.message(), tmp.resolve("runs"), "weights");
        HostileFiles.assertNoTemporaries(tmp);
    }

    static Stream<BrokenRuns.BrokenRun> brokenRuns() {
        return Stream.concat(BrokenRuns.common("weights", "--epochs must be >= 1, got -3").stream(), Stream.of(
                BrokenRuns.broken("unknown constraint set", "--constraints must be distinct names among",
                        BrokenRuns.config(c -> c.putArray("constraintSets").add("l3-orth"))),
                BrokenRuns.broken("negative penalty", "--penalties must be one or more finite numbers > 0",
                        BrokenRuns.config(c -> c.putArray("penalties").add(-1.0))),
                BrokenRuns.broken("unknown engine", "--engine must be fused or graph, got 'gpu'",
                        BrokenRuns.config(c -> c.put("engine", "gpu"))),
                BrokenRuns.broken("MNIST folder gone", "gone, is missing; put the IDX files back there, or correct"
                        + " config.mnistDir",
                        BrokenRuns.config(c -> c.put("mnistDir", tmp.resolve("gone").toString())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRuns")
    void refusedResumeLeavesTheRunAsItWas(BrokenRuns.BrokenRun broken) throws Exception {
        BrokenRuns.assertRefused(broken, finished, tmp.resolve("broken"),
                dir -> new String[]{"weights", "--resume", dir.toString(), "--no-report"});
    }

    @Test
    void readOnlyOutputFolder() throws Exception {
        Path ro = tmp.resolve("read-only");
        assumeTrue(MOUNTS.mount(ro, "ro,size=1m"), "mounting a tmpfs needs root and a kernel that allows it");
        OneLineErrors.assertStopsWithOneLine(bad("read-only", 1, "", "-o", ro.toString()).args().toArray(String[]::new),
                1, ro + " is on a read-only file system; write the run to another folder (-o/--out-dir)", ro,
                "weights");
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
     * The fixed penalty's Adam with a learning rate of 1e30 overflows in its first epoch, after S-ADMM's stage (which
     * has its own step size) finished: exit status 3, the stage and the NaN named, the record says diverged, and
     * S-ADMM's last checkpoint is intact.
     */
    @Test
    void divergedRunKeepsItsLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("diverged");
        CliRun run = CliRun.of("weights", "--datasets", "mnist", "-c", "l2-orth", "-m", "sadmm,fp", "--settings", "1",
                "--epochs", "1", "--train-limit", "64", "--test-limit", "32", "--batch-size", "16", "--lr", "1e30",
                "--mnist-dir", tiny.toString(), "-o", out.toString(), "--no-report");
        OneLineErrors.assertFirstLine(run, 3, "mnist-l2-orth-fp-h0-s0 epoch 0: ");
        assertTrue(run.err().contains("is NaN, the run diverged"), run.err());
        assertTrue(run.err().contains("start a new run with a smaller learning rate or penalty coefficient"), run.err());
        Path dir = runFolder(out).orElseThrow();
        assertEquals("diverged", RunFolder.readJson(dir.resolve(RunFiles.RUN_JSON)).path("status").asText());
        JsonNode sadmm = RunFolder.readJson(dir.resolve(RunFiles.PROGRESS_JSON)).path("stages")
                .path("mnist-l2-orth-sadmm-h0-s0");
        assertEquals(1, sadmm.path("completedEpochs").asInt());
        Path checkpoint = dir.resolve(RunFiles.CHECKPOINTS).resolve(sadmm.path("checkpoint").asText());
        assertEquals(Optional.empty(), AtomicFiles.checksumProblem(checkpoint), "the last good checkpoint verifies");
        try (Stream<Path> files = Files.list(dir.resolve(RunFiles.CHECKPOINTS))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("mnist-l2-orth-fp")),
                    "no checkpoint of the diverged epoch");
        }
        HostileFiles.assertNoTemporaries(out);
    }

    private static Optional<Path> runFolder(Path out) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(d -> d.getFileName().toString().endsWith("-weights")).findFirst();
        }
    }
}
