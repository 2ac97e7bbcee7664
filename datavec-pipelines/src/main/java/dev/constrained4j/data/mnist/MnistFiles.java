package dev.constrained4j.data.mnist;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The four files of the original MNIST distribution and their sha256 (of the uncompressed IDX bytes, as listed in
 * docs/experiments.md, "Data that ships or can be rebuilt offline"). {@link #verify} tells a real, complete MNIST copy
 * from anything else.
 */
public final class MnistFiles {

    /** Base names (without {@code .gz}) and the sha256 of their uncompressed content. */
    public static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private MnistFiles() {
    }

    /**
     * The sha256 of the uncompressed content of each of the four files in {@code dir}, in a fixed order.
     */
    public static Map<String, String> checksums(Path dir) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String name : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            sums.put(name, sha256(MnistData.locate(dir, name)));
        }
        return sums;
    }

    /** True when every file in {@code dir} is byte-identical to the original MNIST. */
    public static boolean isOriginal(Path dir) {
        return checksums(dir).equals(SHA256);
    }

    /** The sha256 (hex) of a file's uncompressed content; gzip is detected from its first bytes. */
    public static String sha256(Path path) {
        try (InputStream raw = Files.newInputStream(path)) {
            InputStream in = raw;
            byte[] head = new byte[2];
            int n = raw.readNBytes(head, 0, 2);
            boolean gz = n == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (gz) {
                in = new GZIPInputStream(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), raw));
            } else {
                digest.update(head, 0, n);
            }
            byte[] buffer = new byte[1 << 16];
            for (int r; (r = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, r);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
