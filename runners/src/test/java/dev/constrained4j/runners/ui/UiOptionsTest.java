package dev.constrained4j.runners.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UiOptionsTest {

    @Test
    void defaultsBindLoopbackWithCachesInTheRunFolder() {
        UiOptions options = UiOptions.forRun(Path.of("runs", "r1"));
        assertTrue(options.enabled());
        assertEquals("127.0.0.1", options.host());
        assertEquals(9000, options.port());
        assertEquals(Path.of("runs", "r1", "ui-cache"), options.cacheDir());
        assertTrue(options.loopbackOnly());
        assertFalse(options.withHost(UiOptions.ALL_INTERFACES).loopbackOnly());
    }

    @Test
    void rejectsBadFieldsNamingThem() {
        Path cache = Path.of("cache");
        assertMessage("port", () -> new UiOptions(true, "127.0.0.1", 70000, null, cache));
        assertMessage("port", () -> new UiOptions(true, "127.0.0.1", -1, null, cache));
        assertMessage("host", () -> new UiOptions(true, " ", 9000, null, cache));
        assertMessage("host", () -> new UiOptions(true, null, 9000, null, cache));
        assertMessage("cacheDir", () -> new UiOptions(true, "127.0.0.1", 9000, null, null));
        new UiOptions(false, "127.0.0.1", 9000, null, null);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        UiOptions options = UiOptions.forRun(Path.of("runs", "r1").toAbsolutePath()).withPort(9100)
                .withStatsFile(Path.of("runs", "r1", "ui-stats.dl4j").toAbsolutePath());
        assertEquals(options, json.readValue(json.writeValueAsString(options), UiOptions.class));
    }

    private static void assertMessage(String field, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
