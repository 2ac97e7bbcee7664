package dev.constrained4j.runners.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsInitializationConfiguration;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.common.config.ND4JSystemProperties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live training UI of one run: DL4J's training pages ({@code /train/overview}, {@code /train/model},
 * {@code /train/system}) and a page of the constrained quantities ({@code /constrained}), served on
 * {@link UiOptions#host()}:{@link UiOptions#port()}.
 * <p>
 * <b>Who can connect.</b> By default the server binds {@value UiOptions#LOOPBACK}, so only this machine can
 * read the run (DL4J's own {@code UIServer} binds every interface). To open it to the network on purpose, use
 * host {@value UiOptions#ALL_INTERFACES} (or one interface's address): then every request, pages, data and
 * assets, must carry a secret token ({@link UiAccess}): {@link UiOptions#token()}, or when that is null one
 * generated at start and logged once with the URL to open ({@code …/train/overview?token=…}); without it the
 * server answers 401. A token given on loopback is required there too. See {@code docs/ui.md}.
 * <p>
 * <b>Network statistics.</b> Training runs in SameDiff, which DL4J's {@link StatsListener} cannot observe, so
 * the caller keeps a {@link ComputationGraph} <em>mirror</em> of the model (for MNIST:
 * {@code MnistClassifierDecoder.graph}) and calls {@link #iteration} every iteration; when
 * {@link #reportsAt} says so it first copies the current SameDiff parameters into the mirror
 * ({@code MnistClassifierDecoder.copy(parameters(sd, layers), mirror)}). The monitor gives the mirror the
 * score, and as its "updates" the mean parameter change per iteration since the previous report, then hands
 * it to a {@link StatsListener}. Gradients, activations and learning rates are not collected (the mirror has
 * none); parameters, updates, score, memory, garbage collection and throughput are.
 * <p>
 * <b>Constrained quantities.</b> {@link #epoch} records a map of values per mode and epoch; {@code /constrained}
 * draws them and {@code /constrained/data} returns them as JSON. With a stats file they are also written
 * beside it ({@code <statsFile>.constrained.json}), so that {@link #replay} shows them again.
 * <p>
 * <b>Caches.</b> Before the server starts, the Vert.x file cache is set to {@code cacheDir/vertx} and ND4J's
 * resource cache (where DL4J extracts the page templates) to {@code cacheDir/nd4j-resources} through the
 * system property {@value ND4JSystemProperties#RESOURCES_CACHE_DIR}; ND4J reads it once per JVM, and the
 * environment variable {@code ND4J_RESOURCES_CACHE_DIR} takes precedence over it.
 * <p>
 * One monitor with a server per JVM (DL4J keeps its UI server in a static). Close it (try-with-resources):
 * the server's threads keep the JVM alive until then. A disabled monitor
 * ({@link UiOptions#enabled()} false) does nothing and costs nothing, so training loops call it unconditionally.
 */
public final class TrainingMonitor implements AutoCloseable {

    /** Iterations between two reports of the network statistics, unless given. */
    public static final int DEFAULT_REPORTING_FREQUENCY = 10;
    /** Path of the constrained-quantities page; its data is at {@code /constrained/data}. */
    public static final String CONSTRAINED_PAGE = "/constrained";
    /** Path of DL4J's overview page. */
    public static final String OVERVIEW_PAGE = "/train/overview";

    private static final Logger LOG = LoggerFactory.getLogger(TrainingMonitor.class);
    private static final String PAGE_RESOURCE = "constrained.html";

    private final UiOptions options;
    private final BoundUiServer server;
    private final List<StatsStorage> storages;
    private final StatsListener listener;
    private final ConstrainedSeries series;
    private final Path seriesFile;
    private final int reportingFrequency;
    private final Map<Long, INDArray> batchPlaceholders = new HashMap<>();
    private Map<String, INDArray> lastParams;
    private int lastReportIteration;

    private TrainingMonitor(UiOptions options, BoundUiServer server, List<StatsStorage> storages,
                            StatsListener listener, ConstrainedSeries series, Path seriesFile,
                            int reportingFrequency) {
        this.options = options;
        this.server = server;
        this.storages = storages;
        this.listener = listener;
        this.series = series;
        this.seriesFile = seriesFile;
        this.reportingFrequency = reportingFrequency;
    }

    /** Starts the UI as {@code options} say, reporting every {@value #DEFAULT_REPORTING_FREQUENCY} iterations. */
    public static TrainingMonitor start(UiOptions options) {
        return start(options, DEFAULT_REPORTING_FREQUENCY);
    }

    /**
     * Starts the UI as {@code options} say (a disabled monitor when {@code options.enabled()} is false), with
     * the network statistics reported every {@code reportingFrequency} iterations.
     *
     * @throws IllegalStateException if the server cannot listen (port taken) or one already runs in this JVM
     */
    public static TrainingMonitor start(UiOptions options, int reportingFrequency) {
        if (reportingFrequency < 1) {
            throw new IllegalArgumentException("reportingFrequency must be >= 1, got " + reportingFrequency);
        }
        if (!options.enabled()) {
            return new TrainingMonitor(options, null, List.of(), null, new ConstrainedSeries(), null,
                    reportingFrequency);
        }
        prepareCaches(options.cacheDir());
        List<StatsStorage> storages = new ArrayList<>();
        storages.add(new InMemoryStatsStorage());
        Path seriesFile = null;
        if (options.statsFile() != null) {
            storages.add(openStatsFile(options.statsFile()));
            seriesFile = seriesFileFor(options.statsFile());
        }
        DefaultStatsUpdateConfiguration updates = new DefaultStatsUpdateConfiguration.Builder()
                .reportingFrequency(reportingFrequency)
                .collectHistogramsGradients(false).collectMeanGradients(false)
                .collectStdevGradients(false).collectMeanMagnitudesGradients(false)
                .collectHistogramsActivations(false).collectMeanActivations(false)
                .collectStdevActivations(false).collectMeanMagnitudesActivations(false)
                .build();
        StatsListener listener = new StatsListener(new TeeStatsStorageRouter(storages),
                new DefaultStatsInitializationConfiguration(true, true, true), updates, null, null);
        TrainingMonitor monitor = serve(options, storages, listener, new ConstrainedSeries(), seriesFile,
                reportingFrequency);
        monitor.announce("Training UI (session " + listener.getSessionID() + ")");
        return monitor;
    }

    /**
     * Serves a saved stats file (and its {@code .constrained.json} companion, when present) without blocking;
     * {@link #close()} stops it. {@code options.enabled()} and {@code options.statsFile()} are ignored.
     *
     * @throws IllegalArgumentException if the file does not exist
     */
    public static TrainingMonitor open(Path statsFile, UiOptions options) throws IOException {
        if (!Files.isRegularFile(statsFile)) {
            throw new IllegalArgumentException("stats file " + statsFile + " does not exist");
        }
        if (options.cacheDir() == null) {
            throw new IllegalArgumentException("cacheDir must be set to serve a stats file, got null");
        }
        prepareCaches(options.cacheDir());
        Path seriesFile = seriesFileFor(statsFile);
        ConstrainedSeries series = Files.isRegularFile(seriesFile) ? ConstrainedSeries.load(seriesFile)
                : new ConstrainedSeries();
        TrainingMonitor monitor = serve(options, List.of(openStatsFile(statsFile)), null, series, null,
                DEFAULT_REPORTING_FREQUENCY);
        monitor.announce("Replaying " + statsFile);
        return monitor;
    }

    /**
     * The {@code ui} command: serves a saved stats file on {@code options.host():options.port()} until the
     * calling thread is interrupted (or the JVM stops), then stops the server.
     *
     * @param statsFile a file written through {@link UiOptions#statsFile()} during training
     * @param options   host, port and cache directory; {@code enabled} and {@code statsFile} are ignored
     */
    public static void replay(Path statsFile, UiOptions options) throws IOException {
        try (TrainingMonitor monitor = open(statsFile, options)) {
            Thread stopper = new Thread(monitor::close, "ui-replay-shutdown");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        }
    }

    private static TrainingMonitor serve(UiOptions options, List<StatsStorage> storages, StatsListener listener,
                                         ConstrainedSeries series, Path seriesFile, int reportingFrequency) {
        String page = constrainedPage();
        List<Route> routes = List.of(
                new Route(CONSTRAINED_PAGE, HttpMethod.GET, (args, rc) -> rc.response()
                        .putHeader("content-type", "text/html; charset=utf-8").end(page)),
                new Route(CONSTRAINED_PAGE + "/data", HttpMethod.GET, (args, rc) -> rc.response()
                        .putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                        .end(series.toJson())));
        UiAccess access = !options.requiresToken() ? UiAccess.open()
                : UiAccess.withToken(options.token() != null ? options.token() : UiAccess.generateToken());
        BoundUiServer server = BoundUiServer.start(options.host(), options.port(), options.cacheDir(), access,
                routes);
        storages.forEach(server::attach);
        return new TrainingMonitor(options, server, storages, listener, series, seriesFile, reportingFrequency);
    }

    /** Logs (once, on the console) the URLs to open: {@link #announcement}. */
    private void announce(String what) {
        LOG.info("{}", announcement(what));
        if (!options.loopbackOnly()) {
            LOG.info("The UI listens on {}:{}: every request must carry the token ({}), others get 401{}",
                    options.host(), server.getPort(), options.token() == null ? "generated for this run" : "given",
                    server.getAddress().contains("//localhost:")
                            ? "; from another machine, replace localhost with this one's address" : "");
        }
    }

    /**
     * The line that tells where the pages are. A generated token is part of the URLs, since this line is the
     * only place it is shown; a token given in the options is not repeated.
     */
    String announcement(String what) {
        String base = server.getAddress();
        String query = "";
        if (server.access().requiresToken()) {
            query = "?" + UiAccess.QUERY_PARAMETER + "="
                    + (options.token() == null ? server.access().token().orElseThrow() : "<your --ui-token>");
        }
        return what + ": " + base + OVERVIEW_PAGE + query + "  constrained quantities: " + base + CONSTRAINED_PAGE
                + query;
    }

    private static void prepareCaches(Path cacheDir) {
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the UI cache directory " + cacheDir, e);
        }
        System.setProperty(ND4JSystemProperties.RESOURCES_CACHE_DIR,
                cacheDir.resolve("nd4j-resources").toAbsolutePath().toString());
    }

    private static FileStatsStorage openStatsFile(Path statsFile) {
        try {
            Path parent = statsFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + statsFile, e);
        }
        return new FileStatsStorage(statsFile.toFile());
    }

    /** Where the constrained quantities of a stats file are kept: {@code <statsFile>.constrained.json}. */
    public static Path seriesFileFor(Path statsFile) {
        return statsFile.resolveSibling(statsFile.getFileName() + ".constrained.json");
    }

    private static String constrainedPage() {
        try (InputStream in = TrainingMonitor.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PAGE_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this monitor serves anything. */
    public boolean enabled() {
        return server != null;
    }

    /** The base address of the pages, e.g. {@code http://127.0.0.1:9000}; empty when disabled. */
    public Optional<URI> address() {
        return server == null ? Optional.empty() : Optional.of(URI.create(server.getAddress()));
    }

    /**
     * The secret every request must carry: {@link UiOptions#token()}, or the one generated at start off
     * loopback; empty when disabled or when the UI is open (loopback without a given token).
     */
    public Optional<String> token() {
        return server == null ? Optional.empty() : server.access().token();
    }

    /** The port actually bound (useful with port 0); -1 when disabled. */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    /** The DL4J session ID of the statistics; empty when disabled or replaying. */
    public Optional<String> sessionId() {
        return listener == null ? Optional.empty() : Optional.of(listener.getSessionID());
    }

    public UiOptions options() {
        return options;
    }

    /**
     * Whether {@link #iteration} with this iteration number reports the network statistics, so the mirror must
     * hold the current parameters (DL4J reports iterations that are multiples of the frequency, except 0).
     */
    public boolean reportsAt(int iteration) {
        return listener != null && (reportingFrequency == 1 || (iteration != 0 && iteration % reportingFrequency == 0));
    }

    /**
     * Records one training iteration. Call it every iteration, with {@code iteration} the run's global count
     * (not per epoch); when {@link #reportsAt(int)} is true, the mirror must hold the current parameters.
     *
     * @param mirror    the ComputationGraph form of the trained model; its score, gradient and labels are set
     *                  here (the labels to a placeholder of {@code batchSize} rows, then cleared)
     * @param score     the training objective of this iteration
     * @param batchSize examples in this iteration's minibatch (for examples per second)
     */
    public void iteration(ComputationGraph mirror, int iteration, int epoch, double score, int batchSize) {
        if (listener == null) {
            return;
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        mirror.setScore(score);
        if (reportsAt(iteration)) {
            mirror.setGradient(updatesSinceLastReport(mirror, iteration));
        }
        INDArray placeholder = batchPlaceholders.computeIfAbsent((long) batchSize,
                rows -> Nd4j.zeros(DataType.FLOAT, rows, 1));
        INDArray[] labels = new INDArray[mirror.getNumOutputArrays()];
        Arrays.fill(labels, placeholder);
        mirror.setLabels(labels);
        try {
            listener.iterationDone(mirror, iteration, epoch);
        } finally {
            mirror.setLabels((INDArray[]) null);
        }
    }

    /** Mean parameter change per iteration since the previous report (zero at the first report). */
    private DefaultGradient updatesSinceLastReport(ComputationGraph mirror, int iteration) {
        Map<String, INDArray> params = mirror.paramTable(true);
        DefaultGradient updates = new DefaultGradient();
        Map<String, INDArray> copy = new LinkedHashMap<>();
        int elapsed = Math.max(1, iteration - lastReportIteration);
        params.forEach((name, value) -> {
            INDArray previous = lastParams == null ? null : lastParams.get(name);
            INDArray update = previous == null || !previous.equalShapes(value) ? Nd4j.zerosLike(value)
                    : value.sub(previous).divi(elapsed);
            updates.setGradientFor(name, update);
            copy.put(name, value.dup());
        });
        lastParams = copy;
        lastReportIteration = iteration;
        return updates;
    }

    /**
     * Publishes the constrained quantities of one epoch, e.g. {@code mode} "train" or "validation" and values
     * {@code tau}, {@code meanViolation}, {@code fractionSatisfied}, {@code loss}, {@code accuracy}: any keys
     * are drawn. Non-finite values are shown as gaps.
     */
    public void epoch(String mode, int epoch, Map<String, Double> values) {
        ConstrainedSeries.Epoch record = new ConstrainedSeries.Epoch(mode, epoch, values);
        if (server == null) {
            return;
        }
        series.add(record);
        if (seriesFile != null) {
            try {
                series.save(seriesFile);
            } catch (java.io.UncheckedIOException e) {
                LOG.warn("could not save the constrained quantities to {}: {}", seriesFile, e.toString());
            }
        }
    }

    /** Stops the server and closes the stats file. Idempotent. */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        server.close();
        for (StatsStorage storage : storages) {
            if (!storage.isClosed()) {
                try {
                    storage.close();
                } catch (IOException e) {
                    LOG.warn("could not close {}: {}", storage, e.toString());
                }
            }
        }
    }
}
