package dev.constrained4j.runners.ui;

import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.Version;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.MimeMapping;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.core.storage.StatsStorageListener;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.DefaultI18N;
import org.deeplearning4j.ui.i18n.I18NProvider;
import org.deeplearning4j.ui.model.storage.impl.QueueStatsStorageListener;
import org.deeplearning4j.ui.module.defaultModule.DefaultModule;
import org.deeplearning4j.ui.module.train.TrainModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's training UI (single-session {@link TrainModule} pages and their assets) served by a Vert.x HTTP server
 * bound to one chosen host.
 * <p>
 * DL4J 1.0.0-M2.1's {@link VertxUIServer} calls {@code createHttpServer().listen(port, handler)}, which binds
 * every interface, with no option to change it. This class does what its {@code start} does (mount the UI
 * modules' routes, route storage events to the modules) on a server created with
 * {@link HttpServerOptions#setHost}. It extends {@link VertxUIServer} only because {@link TrainModule} looks
 * the running server up through the static {@link VertxUIServer#getInstance()}: constructing this object
 * registers it there, so {@code UIServer.getInstance()} in the same JVM returns this bound server instead of
 * starting an open one. One such server per JVM; it is never deployed as a verticle.
 * <p>
 * Differences from {@link VertxUIServer}: no remote-listener, t-SNE, convolutional or SameDiff modules, no
 * request-body handler (and so no upload directory in {@code java.io.tmpdir}), assets and page templates are
 * read from the class path only ({@code ..} in an asset path is refused; no temporary copies), extra
 * routes (the constrained page) can be mounted, and every request, assets included, first passes a
 * {@link UiAccess} (the token check off loopback).
 */
final class BoundUiServer extends VertxUIServer {

    private static final Logger LOG = LoggerFactory.getLogger(BoundUiServer.class);
    private static final long EVENT_ROUTING_DELAY_MS = 500;
    private static final int TIMEOUT_S = 30;

    /** DL4J's single-session training pages and their templates. */
    private static final Map<String, String> TRAIN_PAGES = Map.of(
            "/train/overview", "TrainingOverview.html.ftl",
            "/train/model", "TrainingModel.html.ftl",
            "/train/system", "TrainingSystem.html.ftl");

    private final Configuration templates = pageTemplates();
    private final String host;
    private final UiAccess access;
    private final Vertx vertx;
    private final List<UIModule> modules = new CopyOnWriteArrayList<>();
    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final Map<StatsStorage, StatsStorageListener> storageListeners = new IdentityHashMap<>();
    private final BlockingQueue<StatsStorageEvent> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean stopped = new AtomicBoolean(false);
    private final Thread eventRouter;
    private HttpServer server;

    private BoundUiServer(String host, Path cacheDir, UiAccess access) {
        this.host = host;
        this.access = access;
        this.vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                new FileSystemOptions().setFileCacheDir(cacheDir.resolve("vertx").toString())));
        this.eventRouter = new Thread(this::routeEvents, "ui-stats-event-router");
        this.eventRouter.setDaemon(true);
    }

    /**
     * Starts a server bound to {@code host:port} (port 0: a free port), with the DL4J training pages and the
     * given extra routes, each request let through or refused by {@code access}. Fails if a DL4J UI server is
     * already running in this JVM.
     *
     * @param cacheDir directory for the Vert.x file cache (created on demand)
     */
    static BoundUiServer start(String host, int port, Path cacheDir, UiAccess access, List<Route> extraRoutes) {
        VertxUIServer running = VertxUIServer.getInstance();
        if (running != null && !running.isStopped()) {
            throw new IllegalStateException("a DL4J UI server is already running in this JVM: " + describe(running));
        }
        BoundUiServer ui = new BoundUiServer(host, cacheDir, access);
        try {
            ui.listen(port, extraRoutes);
        } catch (RuntimeException e) {
            ui.stopQuietly();
            throw e;
        }
        return ui;
    }

    private static String describe(VertxUIServer server) {
        try {
            return server.getAddress();
        } catch (RuntimeException e) {
            return server.toString();
        }
    }

    private void listen(int port, List<Route> extraRoutes) {
        Router router = Router.router(vertx);
        router.route().handler(access);
        router.get("/assets/*").handler(this::asset);
        router.get("/setlang/:to").handler(rc -> {
            I18NProvider.getInstance().setDefaultLanguage(rc.request().getParam("to"));
            rc.response().end();
        });
        for (String page : TRAIN_PAGES.keySet()) {
            router.get(page).handler(rc -> renderPage(TRAIN_PAGES.get(page), rc));
        }
        modules.add(new DefaultModule(false));
        modules.add(new TrainModule());
        List<Route> routes = new ArrayList<>();
        modules.forEach(m -> routes.addAll(m.getRoutes()));
        routes.addAll(extraRoutes);
        for (Route route : routes) {
            switch (route.getHttpMethod()) {
                case GET -> router.get(route.getRoute()).handler(rc -> dispatch(route, rc));
                case PUT -> router.put(route.getRoute()).handler(rc -> dispatch(route, rc));
                case POST -> router.post(route.getRoute()).handler(rc -> dispatch(route, rc));
                default -> throw new IllegalStateException("unsupported HTTP method " + route.getHttpMethod());
            }
        }
        eventRouter.start();

        CompletableFuture<HttpServer> listening = new CompletableFuture<>();
        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen(result -> {
                    if (result.succeeded()) {
                        listening.complete(result.result());
                    } else {
                        listening.completeExceptionally(result.cause());
                    }
                });
        try {
            server = listening.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the UI server could not listen on " + host + ":" + port + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the UI server", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the UI server did not start within " + TIMEOUT_S + " s", e);
        }
    }

    /**
     * Renders one of DL4J's page templates from the class path. {@link TrainModule} renders them through
     * {@code Resources.asFile}, which copies the template into a new temporary file in {@code java.io.tmpdir}
     * on every page view; these routes, mounted first, answer instead.
     */
    private void renderPage(String template, RoutingContext rc) {
        try {
            String language = DefaultI18N.getInstance().getDefaultLanguage();
            Map<String, String> messages = DefaultI18N.getInstance().getMessages(language);
            StringWriter html = new StringWriter();
            templates.getTemplate(template).process(messages, html);
            rc.response().putHeader("content-type", "text/html; charset=utf-8").end(html.toString());
        } catch (IOException | TemplateException e) {
            LOG.error("could not render {}", template, e);
            rc.response().setStatusCode(500).end();
        }
    }

    private static Configuration pageTemplates() {
        Configuration configuration = new Configuration(new Version(2, 3, 23));
        configuration.setDefaultEncoding("UTF-8");
        configuration.setLocale(Locale.US);
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setClassForTemplateLoading(TrainModule.class, "/templates");
        return configuration;
    }

    /** Passes the route's {@code :name} parameters, in order, to its consumer (as {@link VertxUIServer} does). */
    private static void dispatch(Route route, RoutingContext rc) {
        List<String> args = new ArrayList<>();
        for (String part : route.getRoute().split("/")) {
            if (part.startsWith(":")) {
                args.add(rc.request().getParam(part.substring(1)));
            }
        }
        route.getConsumer().accept(args, rc);
    }

    /** Serves {@code /assets/...} from the class path: webjars, or DL4J's {@code deeplearning4jUiAssets/}. */
    private void asset(RoutingContext rc) {
        String path = rc.normalisedPath().substring("/assets/".length());
        if (path.contains("..") || path.contains("\\")) {
            rc.response().setStatusCode(400).end();
            return;
        }
        int webjars = path.indexOf("webjars");
        String resource = webjars >= 0 ? "META-INF/resources/" + path.substring(webjars)
                : ASSETS_ROOT_DIRECTORY + (path.startsWith("/") ? path.substring(1) : path);
        vertx.<Buffer>executeBlocking(promise -> promise.complete(readResource(resource)), false, result -> {
            Buffer body = result.result();
            if (body == null) {
                rc.response().setStatusCode(404).end();
            } else {
                String mime = MimeMapping.getMimeTypeForFilename(resource.substring(resource.lastIndexOf('/') + 1));
                if (mime != null) {
                    rc.response().putHeader("content-type", mime);
                }
                rc.response().end(body);
            }
        });
    }

    private static Buffer readResource(String resource) {
        try (InputStream in = BoundUiServer.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            LOG.warn("could not read UI asset {}: {}", resource, e.toString());
            return null;
        }
    }

    /** Routes storage events to the modules that registered for their type, as {@link VertxUIServer} does. */
    private void routeEvents() {
        try {
            while (!stopped.get()) {
                List<StatsStorageEvent> batch = new ArrayList<>();
                batch.add(events.take());
                events.drainTo(batch);
                for (UIModule module : modules) {
                    List<StatsStorageEvent> forModule = new ArrayList<>();
                    for (StatsStorageEvent e : batch) {
                        if (module.getCallbackTypeIDs().contains(e.getTypeID())
                                && storages.contains(e.getStatsStorage())) {
                            forModule.add(e);
                        }
                    }
                    module.reportStorageEvents(forModule);
                }
                Thread.sleep(EVENT_ROUTING_DELAY_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("UI event routing stopped", e);
        }
    }

    /** The address to open in a browser: the bound host, or this machine's name when bound to every interface. */
    @Override
    public String getAddress() {
        String shown = host;
        if (host.equals(UiOptions.ALL_INTERFACES) || host.equals("::") || host.equals("[::]")) {
            shown = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            shown = "[" + host + "]";
        }
        return "http://" + shown + ":" + getPort();
    }

    @Override
    public int getPort() {
        return server == null ? -1 : server.actualPort();
    }

    String host() {
        return host;
    }

    UiAccess access() {
        return access;
    }

    @Override
    public boolean isMultiSession() {
        return false;
    }

    @Override
    public boolean isStopped() {
        return stopped.get();
    }

    @Override
    public synchronized void attach(StatsStorage storage) {
        if (storage == null) {
            throw new IllegalArgumentException("StatsStorage cannot be null");
        }
        if (storages.contains(storage)) {
            return;
        }
        StatsStorageListener listener = new QueueStatsStorageListener(events);
        storage.registerStatsStorageListener(listener);
        storageListeners.put(storage, listener);
        storages.add(storage);
        modules.forEach(m -> m.onAttach(storage));
    }

    @Override
    public synchronized void detach(StatsStorage storage) {
        if (!storages.remove(storage)) {
            return;
        }
        StatsStorageListener listener = storageListeners.remove(storage);
        if (listener != null) {
            storage.deregisterStatsStorageListener(listener);
        }
        modules.forEach(m -> m.onDetach(storage));
    }

    @Override
    public boolean isAttached(StatsStorage storage) {
        return storages.contains(storage);
    }

    @Override
    public List<StatsStorage> getStatsStorageInstances() {
        return new ArrayList<>(storages);
    }

    @Override
    public void enableRemoteListener() {
        throw new UnsupportedOperationException("the remote listener is not served by this UI server");
    }

    @Override
    public void enableRemoteListener(StatsStorageRouter statsStorage, boolean attach) {
        throw new UnsupportedOperationException("the remote listener is not served by this UI server");
    }

    @Override
    public void disableRemoteListener() {
        // never enabled
    }

    @Override
    public boolean isRemoteListenerEnabled() {
        return false;
    }

    /** Stops the HTTP server and the event routing, and waits until the port is released. */
    @Override
    public void stop() throws InterruptedException {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        eventRouter.interrupt();
        for (StatsStorage storage : new ArrayList<>(storages)) {
            detach(storage);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        vertx.close(result -> closed.complete(null));
        // Wait even when interrupted (the usual way to end a replay): returning early would leave the port bound.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!closed.isDone() && System.nanoTime() < deadline) {
            try {
                closed.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("the UI server did not stop cleanly: {}", e.toString());
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("UI server on {}:{} stopped", host, server == null ? "-" : server.actualPort());
    }

    @Override
    public void stopAsync(Promise<Void> stopCallback) {
        Thread stopping = new Thread(() -> {
            try {
                stop();
                stopCallback.complete();
            } catch (InterruptedException e) {
                stopCallback.fail(e);
            }
        }, "ui-server-stop");
        stopping.start();
    }

    /**
     * Stops this server and, when it is the JVM's registered DL4J UI server, clears that registration so that
     * another one can start.
     */
    void close() {
        try {
            if (VertxUIServer.getInstance() == this) {
                VertxUIServer.stopInstance();
            } else {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("error stopping the UI server: {}", e.toString());
        }
    }

    private void stopQuietly() {
        close();
    }
}
