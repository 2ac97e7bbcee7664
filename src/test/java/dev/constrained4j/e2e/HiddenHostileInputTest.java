package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.run.RunFolder;
import java.awt.image.BufferedImage;
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
 * Hostile input to {@code hidden new} and {@code hidden continue} (issue 13): image folders with files that are not
 * images, cut short, too small or of 16 bits, too few images, damaged MRI slice lists and ChestX-ray14 tables, every
 * numeric option out of range, not finite or of the wrong type, output folders that cannot be written, a full
 * disk, run records edited by hand, and a loss that overflows. Each stops with a non-zero status and a first line
 * on standard error that names the problem and the fix; input refused before training leaves no run folder, a
 * refused continuation changes nothing, and nothing leaves a temporary file. The images are twenty 16×16 PNGs (or
 * twenty shipped MRI slices) and the model has 4 channels, so the runs that train take about a second.
 */
class HiddenHostileInputTest {

    @TempDir
    static Path tmp;

    private static final Tmpfs MOUNTS = new Tmpfs();
    private static final int IMAGES = 20;
    /** Twenty 8-bit grey 16×16 PNGs: a valid folder of images (14 train, 3 validation, 3 test). */
    private static Path images;
    /** Twenty of the shipped MRI slices with their labels.csv. */
    private static Path mri;
    /** A finished run on {@link #images}: the original of every damaged run folder. */
    private static Path finished;
    /** The options of a small, fast model. */
    private static final List<String> SMALL = List.of("-s", "16", "-m", "8", "--channels", "4", "-b", "4", "-e", "1",
            "--downstream-epochs", "0", "--no-report");

    /** One hostile invocation and what the first line of standard error must say. */
    record Hostile(String name, List<String> args, int exitCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void writeData() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        byte[] png = HostileFiles.png(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < IMAGES; i++) {
            Files.write(images.resolve(String.format("img-%02d.png", i)), png);
        }
        mri = Files.createDirectories(tmp.resolve("mri"));
        List<String> lines = Files.readAllLines(RepoPaths.mriSlices().resolve("labels.csv"));
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; kept.size() <= IMAGES; i += 19) {
            String file = lines.get(i).split(",")[0];
            Files.createDirectories(mri.resolve(file).getParent());
            Files.copy(RepoPaths.mriSlices().resolve(file), mri.resolve(file));
            kept.add(lines.get(i));
        }
        Files.write(mri.resolve("labels.csv"), kept);
        CliRun run = CliRun.of(args("-d", images.toString(), "-o", tmp.resolve("finished").toString()));
        assertEquals(0, run.exitCode(), run.err());
        finished = runFolder(tmp.resolve("finished")).orElseThrow();
    }

    @AfterAll
    static void unmount() throws Exception {
        MOUNTS.close();
    }

    private static String[] args(String... options) {
        List<String> all = new ArrayList<>(List.of("hidden", "new"));
        all.addAll(SMALL);
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
    }

    /** A copy of {@code from} with {@code file} written as {@code content}. */
    private static String with(Path from, String name, String file, byte[] content) throws IOException {
        Path dir = HostileFiles.copyFolder(from, tmp.resolve("data").resolve(name));
        Files.write(dir.resolve(file), content);
        return dir.toString();
    }

    /** A copy of the MRI slices whose labels.csv is {@code lines}. */
    private static String mriWith(String name, List<String> lines) throws IOException {
        return with(mri, name, "labels.csv", String.join("\n", lines).concat("\n").getBytes());
    }

    private static Hostile badData(String name, String data, String message) {
        return new Hostile(name, List.of(args("-d", data, "-o", tmp.resolve("runs").toString())), 1, message);
    }

    private static Hostile bad(String name, int exit, String message, String... options) {
        List<String> all = new ArrayList<>(List.of(args("-d", images.toString())));
        if (!List.of(options).contains("-o")) {
            all.addAll(List.of("-o", tmp.resolve("runs").toString()));
        }
        all.addAll(List.of(options));
        return new Hostile(name, all, exit, message);
    }

    static Stream<Hostile> badData() throws IOException {
        byte[] png = Files.readAllBytes(images.resolve("img-03.png"));
        List<String> labels = Files.readAllLines(mri.resolve("labels.csv"));
        List<String> rows = labels.subList(1, labels.size());
        Path few = Files.createDirectories(tmp.resolve("data").resolve("five"));
        for (int i = 0; i < 5; i++) {
            Files.write(few.resolve("img-" + i + ".png"), png);
        }
        Path text = Files.createDirectories(tmp.resolve("data").resolve("text-only"));
        Files.writeString(text.resolve("README.md"), "no pictures here");
        Files.writeString(text.resolve("data.csv"), "a,b\n1,2\n");
        Path sixteen = Files.createDirectories(tmp.resolve("data").resolve("sixteen-bit"));
        byte[] png16 = HostileFiles.png(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        for (int i = 0; i < IMAGES; i++) {
            Files.write(sixteen.resolve(String.format("img-%02d.png", i)), png16);
        }
        Path chest = HostileFiles.copyFolder(images, tmp.resolve("data").resolve("chest").resolve("images"))
                .getParent();
        Files.writeString(chest.resolve("Data_Entry_2017.csv"), "Image Index,Finding Labels\nimg-00.png,Flying\n");
        Path chestEmpty = Files.createDirectories(tmp.resolve("data").resolve("chest-empty"));
        Files.writeString(chestEmpty.resolve("Data_Entry_2017.csv"), "");
        Path chestNoImages = Files.createDirectories(tmp.resolve("data").resolve("chest-no-images"));
        Files.writeString(chestNoImages.resolve("Data_Entry_2017.csv"), "Image Index,Finding Labels\n");
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        return Stream.of(
                badData("random bytes named .png", with(images, "random", "img-05.png",
                        HostileFiles.randomBytes(400, 1)), "img-05.png is not a readable image (no PNG, JPEG or BMP"
                        + " header); delete it or replace it"),
                badData("a text file named .jpg", with(images, "text-jpg", "notes.jpg", "hello\n".getBytes()),
                        "notes.jpg is not a readable image"),
                badData("a PNG cut in half", with(images, "cut", "img-03.png", Arrays.copyOf(png, png.length / 2)),
                        "img-03.png cannot be decoded as an image"),
                badData("a gzip file named .png", with(images, "gzip", "img-09.png",
                        Files.readAllBytes(RepoPaths.cpssw8())), "img-09.png is not a readable image"),
                badData("an empty .png", with(images, "empty-png", "img-02.png", new byte[0]),
                        "img-02.png is not a readable image"),
                badData("a 4x4 image", with(images, "tiny", "img-07.png",
                        HostileFiles.png(4, 4, BufferedImage.TYPE_BYTE_GRAY)),
                        "img-07.png is 4x4 pixels, smaller than the minimum 8x8"),
                badData("16-bit images", sixteen.toString(), "has 16 bits per sample; only 8-bit images are read"),
                badData("only files that are not images", text.toString(), "no image in " + text
                        + " (2 other file(s))"),
                badData("five images", few.toString(), "gives 0 validation image(s); HiDDeN needs at least 2 per"
                        + " split"),
                badData("-d pointing at a file", file.toString(), "data folder not found"),
                badData("MRI labels.csv with another header", mriWith("mri-header", concat(List.of("file,plane"), rows)),
                        "does not start with the header 'file,plane,index'"),
                badData("MRI row without its index", mriWith("mri-column", concat(List.of(labels.get(0)),
                        List.of(rows.get(0).substring(0, rows.get(0).lastIndexOf(','))), rows.subList(1, rows.size()))),
                        "labels.csv line 2 is not 'file,plane,index'"),
                badData("MRI unknown plane", mriWith("mri-plane", concat(List.of(labels.get(0)),
                        List.of(rows.get(0).replace(",axial,", ",oblique,")), rows.subList(1, rows.size()))),
                        "with a plane in [axial, coronal, sagittal]"),
                badData("MRI slice listed but missing", mriWith("mri-missing", concat(labels,
                        List.of("axial/axial-999.png,axial,999"))), "MRI slice not found"),
                badData("MRI labels.csv empty", mriWith("mri-empty", List.of()), "does not start with the header"),
                badData("MRI labels.csv listing itself", mriWith("mri-self", concat(labels,
                        List.of("labels.csv,axial,1"))), "labels.csv is not a readable image"),
                badData("ChestX-ray14 table with an unknown finding", chest.toString(), "unknown finding 'Flying'"),
                badData("ChestX-ray14 table empty", chestEmpty.toString(), "Data_Entry_2017.csv is empty"),
                badData("ChestX-ray14 table without images/", chestNoImages.toString(),
                        "ChestX-ray14 image folder not found"),
                bad("--extra-train-dir missing", 1, "extra training images not found: " + tmp.resolve("no-extra")
                        + " (--extra-train-dir", "--extra-train-dir", tmp.resolve("no-extra").toString()),
                bad("--extra-train-dir with a broken image", 1, "img-05.png is not a readable image",
                        "--extra-train-dir", with(images, "extra-random", "img-05.png",
                                HostileFiles.randomBytes(400, 1))));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    static Stream<Hostile> badOptions() {
        return Stream.of(
                new Hostile("epochs as a word", List.of("hidden", "new", "-e", "ten"), 2,
                        "Invalid value for option '--epochs': 'ten'"),
                new Hostile("size 3", List.of("hidden", "new", "-s", "3", "-o", tmp.resolve("runs").toString()), 1,
                        "imageSize must be >= 4, got 3"),
                new Hostile("size 5000", List.of("hidden", "new", "-s", "5000", "-o", tmp.resolve("runs").toString()),
                        1, "imageSize must be <= 4096 pixels, got 5000"),
                new Hostile("message of 0 bits", List.of("hidden", "new", "-m", "0", "-o",
                        tmp.resolve("runs").toString()), 1, "messageBits must be >= 1, got 0"),
                new Hostile("message beyond an int", List.of("hidden", "new", "-m", "99999999999"), 2,
                        "'99999999999' is not an int"),
                new Hostile("0 channels", List.of("hidden", "new", "--channels", "0", "-o",
                        tmp.resolve("runs").toString()), 1, "channels must be >= 1, got 0"),
                new Hostile("batch of 0", List.of("hidden", "new", "-b", "0", "-o", tmp.resolve("runs").toString()), 1,
                        "batchSize must be >= 2, got 0"),
                bad("NaN learning rate", 1, "learningRate must be a finite number > 0, got NaN", "--lr", "NaN"),
                bad("infinite learning rate", 1, "learningRate must be a finite number > 0, got Infinity", "--lr",
                        "Infinity"),
                bad("negative learning rate", 1, "learningRate must be a finite number > 0, got -1.0", "--lr", "-1"),
                bad("NaN bound", 1, "PSNR bound must be a number of dB in (0, 200], got NaN", "--PSNR", "NaN"),
                bad("infinite bound", 1, "PSNR bound must be a number of dB in (0, 200], got Infinity", "--PSNR",
                        "Infinity"),
                bad("bound of 300 dB", 1, "PSNR bound must be a number of dB in (0, 200], got 300.0", "--PSNR", "300"),
                bad("a word among the bounds", 2, "'abc' is not a double", "--PSNR", "30,abc"),
                bad("NaN penalty start", 1, "penalty start must be a finite number >= 0, got NaN", "--PSNR", "30",
                        "--penalty", "NaN", "1.1", "1"),
                bad("infinite penalty growth", 1, "penalty growth factor must be a finite number >= 1, got Infinity",
                        "--PSNR", "30", "--penalty", "0.1", "Infinity", "1"),
                bad("penalty growing every 0 epochs", 1, "penaltyEvery must be >= 1, got 0", "--PSNR", "30",
                        "--penalty", "0.1", "1.1", "0"),
                bad("penalty start above its cap", 1, "penalty cap must be >= the start value", "--PSNR", "30",
                        "--penalty", "1e300", "1.1", "1"),
                bad("train limit 1", 1, "limits must be 0 (all) or >= 2", "--train-limit", "1"),
                bad("negative test limit", 1, "testLimit must be >= 0, got -2", "--test-limit", "-2"),
                new Hostile("negative downstream epochs", List.of("hidden", "new", "--downstream-epochs", "-1", "-o",
                        tmp.resolve("runs").toString()), 1, "downstreamEpochs must be >= 0, got -1"),
                bad("threads 0", 1, "threads must be >= 1, got 0", "--threads", "0"),
                bad("seed as a word", 2, "'x' is not a long", "--seed", "x"),
                bad("NaN alm rho", 1, "rho must be a finite number >= 0, got NaN", "--PSNR", "30", "--method", "alm",
                        "--alm-rho", "NaN"),
                bad("negative alm dual step", 1, "dualLearningRate must be a finite number >= 0", "--PSNR", "30",
                        "--method", "alm", "--alm-dual-lr", "-1"),
                bad("NaN alm dual step", 1, "--alm-dual-lr must be a finite number >= 0, got NaN", "--PSNR", "30",
                        "--method", "alm", "--alm-dual-lr", "NaN"),
                bad("a slash in the name", 1, "name must use only letters, digits", "--name", "a/b"),
                bad("noise layer without its ranges", 1, "unrecognised noise layer 'crop(2)'", "--noise", "crop(2)"),
                bad("dropout keeping 200%", 1, "keep ratio range must be (min,max) with 0 < min <= max <= 1.0",
                        "--noise", "dropout(2,3)"),
                bad("crop range upside down", 1, "height ratio range must be (min,max) with 0 < min <= max",
                        "--noise", "crop((0.5,0.2),(0.1,0.1))"),
                bad("noise ending in '+'", 1, "unrecognised noise layer '' in 'jpeg()+'", "--noise", "jpeg()+"));
    }

    static Stream<Hostile> badOutput() throws IOException {
        Path file = Files.writeString(tmp.resolve("out-file"), "a file, not a folder");
        return Stream.of(
                bad("-o under /proc/version", 1, "/proc/version is a file, not a folder", "-o", "/proc/version/x"),
                bad("-o a regular file", 1, file + " is a file, not a folder; write the run to another folder",
                        "-o", file.toString()),
                bad("-o under a regular file", 1, file + " is a file, not a folder", "-o",
                        file.resolve("runs").toString()),
                new Hostile("continue a file", List.of("hidden", "continue", file.toString()), 1, "not a run folder"),
                new Hostile("continue a missing folder", List.of("hidden", "continue",
                        tmp.resolve("nowhere").toString()), 1, "not a run folder"),
                new Hostile("continue with threads 0", List.of("hidden", "continue", tmp.resolve("nowhere").toString(),
                        "--threads", "0"), 1, "--threads must be >= 1, got 0"),
                new Hostile("continue to -1 epochs", List.of("hidden", "continue", tmp.resolve("nowhere").toString(),
                        "-e", "-1"), 1, "the number of epochs to continue to must be >= 0, got -1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"badData", "badOptions", "badOutput"})
    void refusedBeforeTraining(Hostile hostile) throws Exception {
        OneLineErrors.assertStopsWithOneLine(hostile.args().toArray(String[]::new), hostile.exitCode(),
                hostile.message(), tmp.resolve("runs"), "hidden");
        HostileFiles.assertNoTemporaries(tmp);
    }

    static Stream<BrokenRuns.BrokenRun> brokenRuns() {
        return Stream.concat(BrokenRuns.common("hidden", "epochs must be >= 0, got -3").stream(), Stream.of(
                BrokenRuns.broken("image size 3", "imageSize must be >= 4, got 3",
                        BrokenRuns.config(c -> c.put("imageSize", 3))),
                BrokenRuns.broken("unknown noise layer", "unrecognised noise layer 'blur(3)'",
                        BrokenRuns.config(c -> c.put("noise", "blur(3)"))),
                BrokenRuns.broken("bound as text", "'bounds[0]' must be a number",
                        BrokenRuns.config(c -> c.putArray("bounds").add("thirty"))),
                BrokenRuns.broken("images gone", "data folder not found",
                        BrokenRuns.config(c -> c.put("dataDir", tmp.resolve("gone").toString()))),
                BrokenRuns.broken("fewer epochs than done", "-e/--epochs 0 is fewer than the 1 epochs", dir -> {
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRuns")
    void refusedContinuationLeavesTheRunAsItWas(BrokenRuns.BrokenRun broken) throws Exception {
        BrokenRuns.assertRefused(broken, finished, tmp.resolve("broken"), dir -> broken.name().startsWith("fewer")
                ? new String[]{"hidden", "continue", dir.toString(), "-e", "0", "--no-report"}
                : new String[]{"hidden", "continue", dir.toString(), "--no-report"});
    }

    @Test
    void readOnlyOutputFolder() throws Exception {
        Path ro = tmp.resolve("read-only");
        assumeTrue(MOUNTS.mount(ro, "ro,size=1m"), "mounting a tmpfs needs root and a kernel that allows it");
        OneLineErrors.assertStopsWithOneLine(args("-d", images.toString(), "-o", ro.toString()), 1,
                ro + " is on a read-only file system; write the run to another folder (-o/--out-dir)", ro, "hidden");
    }

    /** A disk that fills up while the run writes its weights: one line naming the full folder and the fix. */
    @Test
    void fullDisk() throws Exception {
        Path full = tmp.resolve("full");
        assumeTrue(MOUNTS.mount(full, "size=64k"), "mounting a tmpfs needs root and a kernel that allows it");
        CliRun run = CliRun.of(args("-d", images.toString(), "-o", full.toString()));
        OneLineErrors.assertFirstLine(run, 1, "no space left on " + full);
        assertTrue(run.err().lines().findFirst().orElse("").contains("free some space there or write the run to"
                + " another folder (-o/--out-dir)"), run.err());
        HostileFiles.assertNoTemporaries(full);
        Path dir = runFolder(full).orElseThrow();
        assertEquals("failed", RunFolder.readJson(dir.resolve(RunFiles.RUN_JSON)).path("status").asText());
    }

    /**
     * The augmented Lagrangian with ρ = 1e300 overflows in its first epoch, after the baseline finished: exit status
     * 3, the stage and the NaN named, the record says diverged, and the baseline's last checkpoint is intact.
     */
    @Test
    void divergedRunKeepsItsLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("diverged");
        CliRun run = CliRun.of(args("-d", images.toString(), "-o", out.toString(), "--baseline", "--PSNR", "30",
                "--method", "alm", "--alm-rho", "1e300"));
        OneLineErrors.assertFirstLine(run, 3, "psnr30-alm epoch 0: the training objective is NaN, the run diverged");
        assertTrue(run.err().contains("start a new run with a smaller learning rate or penalty coefficient"), run.err());
        Path dir = runFolder(out).orElseThrow();
        assertEquals("diverged", RunFolder.readJson(dir.resolve(RunFiles.RUN_JSON)).path("status").asText());
        JsonNode baseline = RunFolder.readJson(dir.resolve(RunFiles.PROGRESS_JSON)).path("stages").path("baseline");
        assertEquals(1, baseline.path("completedEpochs").asInt());
        Path checkpoint = dir.resolve(RunFiles.CHECKPOINTS).resolve(baseline.path("checkpoint").asText());
        assertEquals(Optional.empty(), AtomicFiles.checksumProblem(checkpoint), "the last good checkpoint verifies");
        try (Stream<Path> files = Files.list(dir.resolve(RunFiles.CHECKPOINTS))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("psnr30-alm")),
                    "no checkpoint of the diverged epoch");
        }
        HostileFiles.assertNoTemporaries(out);
    }

    private static Optional<Path> runFolder(Path out) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(d -> d.getFileName().toString().contains("-hidden")).findFirst();
        }
    }
}
