package dev.constrained4j.runners.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.runners.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad {@code --ui-token} ends a command through {@link Main#run} with status 1 and one line naming it. */
class UiTokenOptionTest {

    @TempDir
    Path dir;

    /**
     * Commands that take {@code --ui-token}, with a token that is too short or not URL-safe; the data folder
     * is empty, so a command that did not check the token first would fail on the data with another message.
     */
    @ParameterizedTest
    @CsvSource({
            "ui,    short",
            "ui,    'has spaces in it, 24 chars'",
            "mnist, short",
            "mnist, 0123456789abcde",
            "mnist, 'token/with/slashes/0123'"})
    void refusesABadTokenWithOneLine(String command, String token) {
        StringWriter err = new StringWriter();
        String[] args = command.equals("ui")
                ? new String[] {"ui", dir.toString(), "--ui-token", token}
                : new String[] {"mnist", "--ui", "--ui-token", token, "--data-dir", dir.toString(),
                        "--out-dir", dir.resolve("runs").toString()};
        int status = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        assertEquals(1, status, err.toString());
        String output = err.toString();
        assertEquals(1, output.lines().count(), "one line: " + output);
        assertTrue(output.startsWith("error: token (--ui-token) must "), output);
        assertFalse(output.contains(token), "the message does not repeat the secret: " + output);
    }
}
