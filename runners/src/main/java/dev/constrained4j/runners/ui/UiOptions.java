package dev.constrained4j.runners.ui;

import java.nio.file.Path;

/**
 * Options of the live training UI ({@code --ui}, {@code --ui-port}).
 *
 * @param enabled   whether training starts the UI server at all
 * @param host      the address the server binds: {@value #LOOPBACK} (the default) accepts connections from
 *                  this machine only; {@value #ALL_INTERFACES} opens it to the network on purpose (anyone who
 *                  can reach the port can read the run)
 * @param port      TCP port, {@code 0..65535}; {@code 0} lets the system pick a free port
 * @param statsFile where the DL4J statistics are also saved ({@code FileStatsStorage}) for a later replay,
 *                  or {@code null} to keep them in memory only
 * @param cacheDir  directory for the server's caches (Vert.x file cache, ND4J resource cache); required
 *                  when enabled, by default {@code RUN/}{@value #CACHE_FOLDER}
 */
public record UiOptions(boolean enabled, String host, int port, Path statsFile, Path cacheDir) {

    /** Accept connections from this machine only. */
    public static final String LOOPBACK = "127.0.0.1";
    /** Accept connections on every interface: a deliberate choice, see {@code docs/ui.md}. */
    public static final String ALL_INTERFACES = "0.0.0.0";
    public static final int DEFAULT_PORT = 9000;
    /** Name of the cache folder inside a run folder. */
    public static final String CACHE_FOLDER = "ui-cache";

    public UiOptions {
        if (host == null || host.isBlank() || !host.strip().equals(host)) {
            throw new IllegalArgumentException("host must be a non-blank address without spaces, got '" + host + "'");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (enabled && cacheDir == null) {
            throw new IllegalArgumentException("cacheDir must be set when the UI is enabled, got null");
        }
    }

    /** The UI switched off. */
    public static UiOptions disabled() {
        return new UiOptions(false, LOOPBACK, DEFAULT_PORT, null, null);
    }

    /** The UI on {@value #LOOPBACK}:{@value #DEFAULT_PORT}, caches in {@code runDir/}{@value #CACHE_FOLDER}. */
    public static UiOptions forRun(Path runDir) {
        return new UiOptions(true, LOOPBACK, DEFAULT_PORT, null, runDir.resolve(CACHE_FOLDER));
    }

    public UiOptions withHost(String newHost) {
        return new UiOptions(enabled, newHost, port, statsFile, cacheDir);
    }

    public UiOptions withPort(int newPort) {
        return new UiOptions(enabled, host, newPort, statsFile, cacheDir);
    }

    public UiOptions withStatsFile(Path newStatsFile) {
        return new UiOptions(enabled, host, port, newStatsFile, cacheDir);
    }

    public UiOptions withCacheDir(Path newCacheDir) {
        return new UiOptions(enabled, host, port, statsFile, newCacheDir);
    }

    /** Whether the bound address is a loopback address (reachable from this machine only). */
    public boolean loopbackOnly() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
