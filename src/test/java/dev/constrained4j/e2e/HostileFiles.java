package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.constrained4j.reports.run.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * The damaged, truncated and wrong-format files that the hostile-input tests feed the runners, written into a test's
 * temporary folder from the shipped data, and the checks of what a refused run leaves behind.
 */
final class HostileFiles {

    /** The base names of the four MNIST IDX files. */
    static final List<String> MNIST_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** The magic numbers of IDX files of unsigned bytes with three (images) and one (labels) dimensions. */
    static final int IMAGES_MAGIC = 0x0803;
    static final int LABELS_MAGIC = 0x0801;

    private HostileFiles() {
    }

    /**
     * Writes the first {@code train} training and {@code test} test images and labels of the shipped MNIST as the
     * four gzip IDX files of {@code dir}: valid data that loads in milliseconds. Only the first records of the
     * shipped files are decompressed.
     */
    static Path tinyMnist(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        for (String name : MNIST_FILES) {
            boolean images = name.contains("images");
            int n = name.startsWith("train") ? train : test;
            try (var in = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(
                    Files.newInputStream(RepoPaths.mnist().resolve(name + ".gz"))))) {
                int magic = in.readInt();
                int[] dims = new int[images ? 3 : 1];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = in.readInt();
                }
                int perItem = images ? dims[1] * dims[2] : 1;
                dims[0] = n;
                writeIdx(dir.resolve(name + ".gz"), magic, dims, in.readNBytes(n * perItem), true);
            }
        }
        return dir;
    }

    /** An IDX file: the magic number, the dimensions and the data, gzipped or raw. */
    static Path writeIdx(Path file, int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        byte[] bytes = concat(header.array(), data);
        return Files.write(file, gzip ? gzip(bytes) : bytes);
    }

    /** A copy of the folder {@code from} (files only, one level) as {@code to}. */
    static Path copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** {@code n} seeded random bytes. */
    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Cuts a file to the given fraction of its length. */
    static Path truncate(Path file, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(Path file) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A PNG of {@code width × height} pixels of the {@link BufferedImage} type {@code type}, with a gradient. */
    static byte[] png(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = (x * 255 / Math.max(1, width - 1) + y * 7) & 0xFF;
                image.setRGB(x, y, 0xFF000000 | v << 16 | (255 - v) << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer for image type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The temporary files ({@code *.tmp}) anywhere under {@code root}: an interrupted or failed write left them. */
    static List<Path> temporaries(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** Asserts that no temporary file is left anywhere under {@code root}. */
    static void assertNoTemporaries(Path root) throws IOException {
        assertEquals(List.of(), temporaries(root), "no temporary file is left under " + root);
    }

    /** Every file under {@code dir} with the SHA-256 of its content, by relative path. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), AtomicFiles.sha256(p));
            }
        }
        return files;
    }
}
