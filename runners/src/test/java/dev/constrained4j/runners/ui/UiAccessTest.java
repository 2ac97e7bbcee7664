package dev.constrained4j.runners.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token check of a UI opened to the network, over real HTTP: one server bound to
 * {@value UiOptions#ALL_INTERFACES} with a generated token, asked through 127.0.0.1 and through this machine's
 * own non-loopback IPv4 address when it has one. Pages, data and assets are refused with 401 without the token
 * or with a wrong one, and served with the query token, with the cookie that answer sets, and with a Bearer
 * header.
 */
class UiAccessTest {

    /** A page, two data requests (DL4J's and ours) and an asset: every kind of route the server mounts. */
    private static final List<String> PATHS = List.of(TrainingMonitor.OVERVIEW_PAGE, "/train/overview/data",
            TrainingMonitor.CONSTRAINED_PAGE + "/data", "/assets/webjars/jquery/3.4.1/dist/jquery.min.js");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path run;
    private static TrainingMonitor monitor;
    private static String token;
    /** http://127.0.0.1:PORT, and http://OWN-ADDRESS:PORT when this machine has one. */
    private static List<String> bases;

    @BeforeAll
    static void startOnAllInterfaces() throws SocketException {
        monitor = TrainingMonitor.start(UiOptions.forRun(run).withHost(UiOptions.ALL_INTERFACES).withPort(0));
        token = monitor.token().orElseThrow(() -> new AssertionError("off loopback a token is generated"));
        bases = new ArrayList<>();
        bases.add("http://127.0.0.1:" + monitor.port());
        for (InetAddress own : nonLoopbackIpv4()) {
            bases.add("http://" + own.getHostAddress() + ":" + monitor.port());
        }
        monitor.epoch("train", 1, Map.of("tau", 0.5));
    }

    @AfterAll
    static void stop() {
        if (monitor != null) {
            monitor.close();
        }
    }

    @Test
    void theControlRequestIsServedSoThe401sBelowAreTheTokensDoing() throws Exception {
        for (String base : bases) {
            for (String path : PATHS) {
                assertEquals(200, send(base, path + "?token=" + token, Map.of()).statusCode(), base + path);
            }
        }
    }

    @Test
    void refusesEveryRequestWithoutTheToken() throws Exception {
        for (String base : bases) {
            for (String path : PATHS) {
                HttpResponse<String> response = send(base, path, Map.of());
                assertEquals(401, response.statusCode(), base + path);
                assertEquals(1, response.body().lines().count(), "a one-line body: " + response.body());
                assertTrue(response.body().contains("token"), response.body());
                assertFalse(response.body().contains(token), "the 401 does not give the token away");
                assertTrue(response.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
                assertTrue(response.headers().firstValue("set-cookie").isEmpty(), "no cookie without the token");
            }
        }
    }

    @Test
    void servesThePageWithTheQueryTokenAndItsFollowUpRequestsWithTheCookieItSets() throws Exception {
        for (String base : bases) {
            HttpResponse<String> page = send(base, TrainingMonitor.OVERVIEW_PAGE + "?token=" + token, Map.of());
            assertEquals(200, page.statusCode(), base);
            assertTrue(page.body().contains("<html"), "the overview page itself");
            String setCookie = page.headers().firstValue("set-cookie").orElseThrow();
            assertTrue(setCookie.contains("HttpOnly"), setCookie);
            assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertEquals(UiAccess.cookieName(monitor.port()) + "=" + token, cookie);

            for (String path : PATHS) {
                assertEquals(200, send(base, path, Map.of("Cookie", "other=1; " + cookie)).statusCode(),
                        "follow-up request " + base + path + " with the cookie only");
            }
        }
    }

    @Test
    void servesRequestsWithTheBearerHeader() throws Exception {
        for (String base : bases) {
            for (String path : PATHS) {
                assertEquals(200, send(base, path, Map.of("Authorization", "Bearer " + token)).statusCode(),
                        base + path);
            }
            assertEquals(200, send(base, PATHS.get(1), Map.of("Authorization", "bearer " + token)).statusCode(),
                    "the scheme is case-insensitive");
        }
    }

    @Test
    void refusesAWrongTokenInEveryPlace() throws Exception {
        String wrong = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        String cookie = UiAccess.cookieName(monitor.port()) + "=";
        for (String base : bases) {
            for (String path : PATHS) {
                assertEquals(401, send(base, path + "?token=" + wrong, Map.of()).statusCode(), base + path);
                assertEquals(401, send(base, path + "?token=" + token + "x", Map.of()).statusCode(), "longer");
                assertEquals(401, send(base, path + "?token=", Map.of()).statusCode(), "empty");
                assertEquals(401, send(base, path, Map.of("Cookie", cookie + wrong)).statusCode(), base + path);
                assertEquals(401, send(base, path, Map.of("Authorization", "Bearer " + wrong)).statusCode());
                assertEquals(401, send(base, path, Map.of("Authorization", "Basic " + token)).statusCode(),
                        "only the Bearer scheme");
            }
            String otherPort = UiAccess.cookieName(monitor.port() + 1) + "=" + token;
            assertEquals(401, send(base, PATHS.get(0), Map.of("Cookie", otherPort)).statusCode(),
                    "the cookie of another port's UI is not this one's");
        }
    }

    @Test
    void theConsoleLineCarriesTheGeneratedTokenInTheUrlToOpen() {
        String line = monitor.announcement("Training UI");
        assertTrue(line.contains(TrainingMonitor.OVERVIEW_PAGE + "?token=" + token), line);
        assertTrue(line.contains(":" + monitor.port() + TrainingMonitor.OVERVIEW_PAGE), line);
    }

    @Test
    void generatedTokensAreUrlSafeAndCarryAtLeast128Bits() {
        assertNull(UiAccess.tokenProblem(token));
        // 6 bits per URL-safe Base64 character: 22 characters hold 132 bits.
        assertTrue(token.length() >= 22, token.length() + " characters");
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "Base64url without padding");
        assertNotEquals(token, UiAccess.generateToken());
    }

    @Test
    void parsesCookieAndAuthorizationHeaders() {
        assertEquals("v", UiAccess.cookie("a=1; name=v; b=2", "name"));
        assertEquals("v", UiAccess.cookie("name=v", "name"));
        assertNull(UiAccess.cookie("xname=v; namex=w", "name"));
        assertNull(UiAccess.cookie(null, "name"));
        assertEquals("abc", UiAccess.bearer("Bearer abc"));
        assertEquals("abc", UiAccess.bearer("BEARER abc"));
        assertNull(UiAccess.bearer("Bearer "));
        assertNull(UiAccess.bearer("Basic abc"));
        assertNull(UiAccess.bearer(null));
    }

    private static HttpResponse<String> send(String base, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** At most one non-loopback IPv4 address of this machine (none inside a sandbox without a network). */
    static List<InetAddress> nonLoopbackIpv4() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return List.of(address);
                }
            }
        }
        return List.of();
    }
}
