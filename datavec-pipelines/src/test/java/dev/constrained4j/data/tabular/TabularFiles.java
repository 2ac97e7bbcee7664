package dev.constrained4j.data.tabular;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Helpers for the tabular tests: file contents and the check of a one-line {@link DataException}. */
final class TabularFiles {

    private TabularFiles() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The message names the file, holds every fragment, and is one line. */
    static void assertMessage(DataException e, Path file, List<String> fragments) {
        String message = e.getMessage();
        assertTrue(message.contains(file.getFileName().toString()), "'" + message + "' should name " + file);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + message + "' should contain '" + fragment + "'");
        }
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
    }
}
