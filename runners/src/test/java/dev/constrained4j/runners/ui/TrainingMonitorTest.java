package dev.constrained4j.runners.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Starts the training UI on a free loopback port, publishes a tiny mirror's statistics and an epoch of
 * constrained quantities, and reads them back over HTTP; checks the default binding refuses connections to
 * this machine's own non-loopback address, and that a saved stats file replays.
 */
class TrainingMonitorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path run;

    @Test
    void servesTrainingPagesAndConstrainedQuantitiesOnLoopbackThenStops() throws Exception {
        UiOptions options = UiOptions.forRun(run).withPort(0).withStatsFile(run.resolve("ui-stats.dl4j"));
        int port;
        try (TrainingMonitor monitor = TrainingMonitor.start(options, 2)) {
            port = monitor.port();
            assertTrue(port > 0, "bound port " + port);
            assertEquals(URI.create("http://127.0.0.1:" + port), monitor.address().orElseThrow());
            publish(monitor, 7);

            JsonNode overview = awaitScores(port, 3);
            assertEquals(3, overview.get("scores").size(), "iterations 2, 4, 6 reported: " + overview);

            HttpResponse<String> page = get(port, "/train/overview");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<html"), "overview is HTML");
            assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            Matcher asset = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page.body());
            int assets = 0;
            while (asset.find()) {
                assertEquals(200, get(port, asset.group(1)).statusCode(), "overview asset " + asset.group(1));
                assets++;
            }
            assertTrue(assets > 5, "the overview loads its scripts and styles from /assets: " + assets);
            assertEquals(200, get(port, "/train/model").statusCode());
            assertEquals(200, get(port, "/train/system").statusCode());
            HttpResponse<String> system = get(port, "/train/system/data");
            assertEquals(200, system.statusCode(), system.body());

            HttpResponse<String> layer = get(port, "/train/model/data/1");
            assertEquals(200, layer.statusCode(), layer.body());
            JsonNode layerData = JSON.readTree(layer.body());
            assertTrue(layerData.has("meanMag"), "layer statistics: " + layer.body());

            HttpResponse<String> constrainedPage = get(port, "/constrained");
            assertEquals(200, constrainedPage.statusCode());
            assertTrue(constrainedPage.body().contains("/constrained/data"));

            HttpResponse<String> data = get(port, "/constrained/data");
            assertEquals(200, data.statusCode());
            JsonNode record = JSON.readTree(data.body()).get("records").get(0);
            assertEquals("train", record.get("mode").asText());
            assertEquals(1, record.get("epoch").asInt());
            assertEquals(0.25, record.get("values").get("tau").asDouble());
            assertEquals(0.125, record.get("values").get("meanViolation").asDouble());
            assertEquals(0.75, record.get("values").get("fractionSatisfied").asDouble());
            assertTrue(record.get("values").get("loss").isNull(), "NaN is sent as null: " + data.body());

            assertNotEquals(200, get(port, "/assets/..%2F..%2Fpom.xml").statusCode());
            assertTrue(Files.isDirectory(run.resolve(UiOptions.CACHE_FOLDER)), "cache under the run folder");
        }
        assertPortFree(port);

        FileStatsStorage saved = new FileStatsStorage(run.resolve("ui-stats.dl4j").toFile());
        try {
            assertEquals(1, saved.listSessionIDs().size(), "one session saved");
        } finally {
            saved.close();
        }
        assertTrue(Files.isRegularFile(TrainingMonitor.seriesFileFor(run.resolve("ui-stats.dl4j"))));
    }

    @Test
    void refusesConnectionsToThisMachinesNetworkAddressByDefault() throws Exception {
        Optional<InetAddress> own = nonLoopbackIpv4();
        assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address");
        try (TrainingMonitor monitor = TrainingMonitor.start(UiOptions.forRun(run).withPort(0))) {
            assertEquals(UiOptions.LOOPBACK, monitor.options().host(), "loopback is the default");
            assertEquals(200, get(monitor.port(), "/constrained").statusCode(), "reachable on loopback");
            assertThrows(ConnectException.class, () -> connect(own.get(), monitor.port()),
                    "a connection to " + own.get() + ":" + monitor.port() + " must be refused");
        }
    }

    /** The control for the test above: opened on purpose, the same address is accepted. */
    @Test
    void acceptsConnectionsToThisMachinesNetworkAddressWhenOpened() throws Exception {
        Optional<InetAddress> own = nonLoopbackIpv4();
        assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address");
        UiOptions open = UiOptions.forRun(run).withHost(UiOptions.ALL_INTERFACES).withPort(0);
        try (TrainingMonitor monitor = TrainingMonitor.start(open)) {
            connect(own.get(), monitor.port());
        }
    }

    @Test
    void loopbackNeedsNoTokenUnlessOneIsGiven() throws Exception {
        try (TrainingMonitor monitor = TrainingMonitor.start(UiOptions.forRun(run).withPort(0))) {
            assertTrue(monitor.token().isEmpty(), "no token on loopback by default");
            assertEquals(200, get(monitor.port(), TrainingMonitor.OVERVIEW_PAGE).statusCode());
            assertEquals(200, get(monitor.port(), "/train/overview/data").statusCode());
            assertFalse(monitor.announcement("UI").contains("token"), monitor.announcement("UI"));
        }
        String given = "given-token_0123456789";
        try (TrainingMonitor monitor = TrainingMonitor.start(UiOptions.forRun(run).withPort(0).withToken(given))) {
            assertEquals(Optional.of(given), monitor.token());
            assertEquals(401, get(monitor.port(), TrainingMonitor.OVERVIEW_PAGE).statusCode(), "given: required");
            assertEquals(401, get(monitor.port(), "/train/overview/data").statusCode());
            assertEquals(200, get(monitor.port(), TrainingMonitor.OVERVIEW_PAGE + "?token=" + given).statusCode());
            assertFalse(monitor.announcement("UI").contains(given), "a given token is not printed");
        }
    }

    @Test
    void replaysASavedStatsFile() throws Exception {
        Path stats = run.resolve("ui-stats.dl4j");
        try (TrainingMonitor monitor = TrainingMonitor.start(UiOptions.forRun(run).withPort(0).withStatsFile(stats), 2)) {
            publish(monitor, 5);
        }
        Path replayCache = run.resolve("replay-cache");
        UiOptions replay = UiOptions.disabled().withCacheDir(replayCache).withPort(0);
        try (TrainingMonitor monitor = TrainingMonitor.open(stats, replay)) {
            assertTrue(monitor.sessionId().isEmpty());
            assertEquals(2, awaitScores(monitor.port(), 2).get("scores").size());
            assertEquals(200, get(monitor.port(), "/train/overview").statusCode());
            JsonNode records = JSON.readTree(get(monitor.port(), "/constrained/data").body()).get("records");
            assertEquals(1, records.size(), "constrained quantities replayed from the companion file");
        }
    }

    @Test
    void replayCommandServesUntilInterrupted() throws Exception {
        Path stats = run.resolve("ui-stats.dl4j");
        try (TrainingMonitor monitor = TrainingMonitor.start(UiOptions.forRun(run).withPort(0).withStatsFile(stats), 2)) {
            publish(monitor, 3);
        }
        int port = freePort();
        Thread command = new Thread(() -> {
            try {
                TrainingMonitor.replay(stats, UiOptions.forRun(run).withPort(port));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        command.start();
        assertEquals(1, awaitScores(port, 1).get("scores").size());
        command.interrupt();
        command.join(WAIT.toMillis());
        assertFalse(command.isAlive(), "replay returns when interrupted");
        assertPortFree(port);
    }

    @Test
    void replayRefusesAMissingFile() {
        UiOptions options = UiOptions.forRun(run).withPort(0);
        assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.open(run.resolve("none.dl4j"), options));
    }

    @Test
    void disabledMonitorDoesNothing() {
        ComputationGraph mirror = mirror();
        try (TrainingMonitor monitor = TrainingMonitor.start(UiOptions.disabled())) {
            assertFalse(monitor.enabled());
            assertFalse(monitor.reportsAt(10));
            monitor.iteration(mirror, 10, 0, 1.0, 4);
            monitor.epoch("train", 1, Map.of("tau", 1.0));
            assertTrue(monitor.address().isEmpty());
        }
    }

    /** Publishes iterations 0..count-1 of a tiny mirror whose parameters move, then one epoch. */
    private static void publish(TrainingMonitor monitor, int count) {
        ComputationGraph mirror = mirror();
        for (int iteration = 0; iteration < count; iteration++) {
            if (monitor.reportsAt(iteration)) {
                mirror.params().addi(0.01);
            }
            monitor.iteration(mirror, iteration, 0, 1.0 / (iteration + 1), 8);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("tau", 0.25);
        values.put("meanViolation", 0.125);
        values.put("fractionSatisfied", 0.75);
        values.put("loss", Double.NaN);
        monitor.epoch("train", 1, values);
    }

    private static ComputationGraph mirror() {
        return MnistClassifierDecoder.graph(new MnistModelConfig(16, 8, 4, 3), DataType.FLOAT);
    }

    /** Polls the overview data until it holds {@code count} scores (the UI routes events every 0.5 s). */
    private JsonNode awaitScores(int port, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = get(port, "/train/overview/data");
                last = response.body();
                if (response.statusCode() == 200) {
                    JsonNode data = JSON.readTree(response.body());
                    if (data.has("scores") && data.get("scores").size() >= count) {
                        return data;
                    }
                }
            } catch (ConnectException notYetListening) {
                last = notYetListening.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + count + " scores within " + WAIT + ", last answer: " + last);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    private static Optional<InetAddress> nonLoopbackIpv4() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }
}
