package dev.constrained4j.runners.ui;

import java.nio.file.Path;

/**
 * Options of the live training UI ({@code --ui}, {@code --ui-port}, {@code --ui-host}, {@code --ui-token}).
 *
 * @param enabled   whether training starts the UI server at all
 * @param host      the address the server binds: {@value #LOOPBACK} (the default) accepts connections from
 *                  this machine only; {@value #ALL_INTERFACES} opens it to the network on purpose, and then
 *                  every request must carry the {@code token}
 * @param port      TCP port, {@code 0..65535}; {@code 0} lets the system pick a free port
 * @param statsFile where the DL4J statistics are also saved ({@code FileStatsStorage}) for a later replay,
 *                  or {@code null} to keep them in memory only
 * @param cacheDir  directory for the server's caches (Vert.x file cache, ND4J resource cache); required
 *                  when enabled, by default {@code RUN/}{@value #CACHE_FOLDER}
 * @param token     the secret every request must carry (at least 16 URL-safe characters), or {@code null}: then
 *                  a loopback host needs none and any other host gets one generated when the server starts
 *                  (see {@link TrainingMonitor#token()}); {@link #toString()} does not show it
 */
public record UiOptions(boolean enabled, String host, int port, Path statsFile, Path cacheDir, String token) {

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
        String problem = token == null ? null : UiAccess.tokenProblem(token);
        if (problem != null) {
            throw new IllegalArgumentException("token (--ui-token) " + problem);
        }
    }

    /** The UI switched off. */
    public static UiOptions disabled() {
        return new UiOptions(false, LOOPBACK, DEFAULT_PORT, null, null, null);
    }

    /** The UI on {@value #LOOPBACK}:{@value #DEFAULT_PORT}, caches in {@code runDir/}{@value #CACHE_FOLDER}. */
    public static UiOptions forRun(Path runDir) {
        return new UiOptions(true, LOOPBACK, DEFAULT_PORT, null, runDir.resolve(CACHE_FOLDER), null);
    }

    public UiOptions withHost(String newHost) {
        return new UiOptions(enabled, newHost, port, statsFile, cacheDir, token);
    }

    public UiOptions withPort(int newPort) {
        return new UiOptions(enabled, host, newPort, statsFile, cacheDir, token);
    }

    public UiOptions withStatsFile(Path newStatsFile) {
        return new UiOptions(enabled, host, port, newStatsFile, cacheDir, token);
    }

    public UiOptions withCacheDir(Path newCacheDir) {
        return new UiOptions(enabled, host, port, statsFile, newCacheDir, token);
    }

    /** The same options with {@code newToken} as the secret (null: none given). */
    public UiOptions withToken(String newToken) {
        return new UiOptions(enabled, host, port, statsFile, cacheDir, newToken);
    }

    /** Whether every request must carry a token: when one is given, or the host is not a loopback address. */
    public boolean requiresToken() {
        return token != null || !loopbackOnly();
    }

    /** Whether the bound address is a loopback address (reachable from this machine only). */
    public boolean loopbackOnly() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** The fields, with the token shown as {@code ***} so that it does not end up in logs. */
    @Override
    public String toString() {
        return "UiOptions[enabled=" + enabled + ", host=" + host + ", port=" + port + ", statsFile=" + statsFile
                + ", cacheDir=" + cacheDir + ", token=" + (token == null ? "null" : "***") + "]";
    }
}
