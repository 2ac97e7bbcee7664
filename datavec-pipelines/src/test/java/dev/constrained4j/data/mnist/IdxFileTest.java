package dev.constrained4j.data.mnist;

import static dev.constrained4j.data.mnist.IdxBytes.gzip;
import static dev.constrained4j.data.mnist.IdxBytes.idx;
import static dev.constrained4j.data.mnist.IdxBytes.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading IDX files, raw and gzipped, and the one-line errors for every way a file can be broken. */
class IdxFileTest {

    static final int[] DIMS = {2, 3, 4};
    static final byte[] DATA = ramp(24, 11);
    static final byte[] GOOD = idx(DIMS, DATA);

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void rawFileIsReadBackExactly() throws IOException {
        Path file = write("images-idx3-ubyte", GOOD);
        IdxFile idx = IdxFile.read(file, 3);
        assertEquals(file, idx.path());
        assertArrayEquals(DIMS, idx.dimensions());
        assertArrayEquals(DATA, idx.data());
    }

    @Test
    void gzippedFileIsReadBackExactlyWhateverItsName() throws IOException {
        // gzip is detected from the content, so a gzipped file without ".gz" reads too
        for (String name : List.of("images-idx3-ubyte.gz", "images-gzipped-without-suffix")) {
            IdxFile idx = IdxFile.read(write(name, gzip(GOOD)), 3);
            assertArrayEquals(DIMS, idx.dimensions(), name);
            assertArrayEquals(DATA, idx.data(), name);
        }
    }

    @Test
    void labelsFileOfRankOne() throws IOException {
        byte[] labels = {5, 0, 4, 1, 9};
        IdxFile idx = IdxFile.read(write("labels-idx1-ubyte", idx(new int[]{5}, labels)), 1);
        assertArrayEquals(new int[]{5}, idx.dimensions());
        assertArrayEquals(labels, idx.data());
    }

    /** A broken file, the rank it is read with, and what the error message must say besides its path. */
    record Broken(String name, byte[] content, int rank, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Broken> broken() {
        byte[] goodGzip = gzip(GOOD);
        byte[] badCrc = goodGzip.clone();
        badCrc[badCrc.length - 8] ^= 0x55; // CRC-32 in the gzip trailer
        // a valid gzip header (magic, deflate, no flags, mtime, xfl, os) followed by bytes that are not deflate
        // data: 0xFF starts a block of the reserved type 3
        byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0xFF);
        byte[] corruptGzip = concat(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, garbage);
        return Stream.of(
                new Broken("truncated data", Arrays.copyOf(GOOD, GOOD.length - 5), 3,
                        List.of("truncated", "[2, 3, 4]", "24 bytes")),
                new Broken("truncated data, gzipped", gzip(Arrays.copyOf(GOOD, GOOD.length - 5)), 3,
                        List.of("truncated", "24 bytes")),
                new Broken("truncated header", Arrays.copyOf(GOOD, 10), 3, List.of("truncated", "header")),
                new Broken("empty file", new byte[0], 3, List.of("truncated", "header")),
                new Broken("gzip stream cut short", Arrays.copyOf(goodGzip, goodGzip.length / 2), 3,
                        List.of("truncated")),
                new Broken("labels file read as images", idx(new int[]{5}, new byte[5]), 3,
                        List.of("not an IDX file", "3 dimensions", "0x00000801", "0x00000803")),
                new Broken("not unsigned bytes", idx(0x0D03, DIMS, new byte[96]), 3,
                        List.of("not an IDX file", "0x00000D03")),
                new Broken("text file", "hello, world\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 3,
                        List.of("not an IDX file")),
                new Broken("corrupt gzip", corruptGzip, 3, List.of("corrupt gzip")),
                new Broken("gzip with a wrong checksum", badCrc, 3, List.of("corrupt gzip")),
                new Broken("trailing bytes", concat(GOOD, new byte[]{1, 2, 3}), 3,
                        List.of("data after the 24 bytes", "[2, 3, 4]")),
                new Broken("trailing bytes, gzipped", gzip(concat(GOOD, new byte[]{1})), 3,
                        List.of("data after the 24 bytes")),
                new Broken("zero dimension", idx(new int[]{2, 0, 4}, new byte[0]), 3,
                        List.of("corrupt", "dimension 1 is 0")),
                new Broken("negative dimension", idx(new int[]{-7}, new byte[0]), 1,
                        List.of("corrupt", "dimension 0 is -7")),
                new Broken("absurd size", idx(new int[]{65536, 65536, 2}, new byte[0]), 3,
                        List.of("corrupt", "8589934592")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFileGivesAOneLineMessageNamingFileAndProblem(Broken b) throws IOException {
        Path file = write("broken-idx-ubyte", b.content());
        DataException e = assertThrows(DataException.class, () -> IdxFile.read(file, b.rank()));
        assertMessage(e, file, b.fragments());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("no-such-idx3-ubyte.gz");
        DataException e = assertThrows(DataException.class, () -> IdxFile.read(file, 3));
        assertMessage(e, file, List.of("not found"));
    }

    @Test
    void directoryInsteadOfFile() {
        DataException e = assertThrows(DataException.class, () -> IdxFile.read(dir, 3));
        assertMessage(e, dir, List.of("not found"));
    }

    static void assertMessage(DataException e, Path file, List<String> fragments) {
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "'" + message + "' should name " + file);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + message + "' should contain '" + fragment + "'");
        }
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
    }
}
