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
        assertFalse(options.requiresToken(), "loopback without a given token: open, as before");
        assertTrue(options.withHost(UiOptions.ALL_INTERFACES).requiresToken(), "off loopback: a token");
        assertTrue(options.withHost("192.168.1.5").requiresToken());
        assertTrue(options.withToken("abcdefghijklmnop").requiresToken(), "a given token is required on loopback");
    }

    @Test
    void acceptsUrlSafeTokensOfSixteenCharactersOrMoreAndHidesThemInToString() {
        UiOptions options = UiOptions.forRun(Path.of("r")).withToken("Az09-._~Az09-._~");
        assertEquals("Az09-._~Az09-._~", options.token());
        assertFalse(options.toString().contains(options.token()), options.toString());
        assertTrue(options.toString().contains("token=***"), options.toString());
    }

    @Test
    void rejectsBadFieldsNamingThem() {
        Path cache = Path.of("cache");
        assertMessage("port", () -> new UiOptions(true, "127.0.0.1", 70000, null, cache, null));
        assertMessage("port", () -> new UiOptions(true, "127.0.0.1", -1, null, cache, null));
        assertMessage("host", () -> new UiOptions(true, " ", 9000, null, cache, null));
        assertMessage("host", () -> new UiOptions(true, null, 9000, null, cache, null));
        assertMessage("cacheDir", () -> new UiOptions(true, "127.0.0.1", 9000, null, null, null));
        assertMessage("token (--ui-token) must have at least 16 characters, got 15",
                () -> new UiOptions(true, "127.0.0.1", 9000, null, cache, "0123456789abcde"));
        assertMessage("token (--ui-token) must be URL-safe",
                () -> new UiOptions(true, "127.0.0.1", 9000, null, cache, "0123456789abcdef/"));
        assertMessage("token (--ui-token) must be URL-safe",
                () -> new UiOptions(true, "127.0.0.1", 9000, null, cache, "0123456789abcdef%20"));
        assertMessage("token (--ui-token) must have at least", () -> new UiOptions(true, "0.0.0.0", 9000, null, cache, ""));
        new UiOptions(false, "127.0.0.1", 9000, null, null, null);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        UiOptions options = UiOptions.forRun(Path.of("runs", "r1").toAbsolutePath()).withPort(9100)
                .withStatsFile(Path.of("runs", "r1", "ui-stats.dl4j").toAbsolutePath());
        assertEquals(options, json.readValue(json.writeValueAsString(options), UiOptions.class));
        UiOptions withToken = options.withHost(UiOptions.ALL_INTERFACES).withToken("0123456789abcdef");
        assertEquals(withToken, json.readValue(json.writeValueAsString(withToken), UiOptions.class));
    }

    private static void assertMessage(String field, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
