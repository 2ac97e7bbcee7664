package dev.constrained4j.runners.cli;

import dev.constrained4j.runners.ui.UiOptions;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The live-UI options shared by every training command. */
public final class UiMixin {

    /** The environment variable read when {@code --ui-token} is not given (keeps the secret out of {@code ps}). */
    public static final String UI_TOKEN_ENV = "C4J_UI_TOKEN";

    @Option(names = "--ui", description = "serve the DL4J training UI and the constrained-quantities page while training")
    boolean enabled;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "UI port (default 9000; 0 picks a free one)")
    int port = UiOptions.DEFAULT_PORT;

    @Option(names = "--ui-host", paramLabel = "ADDR",
            description = "address the UI binds (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network,"
                    + " and then every request needs the token printed at start)")
    String host = UiOptions.LOOPBACK;

    @Option(names = "--ui-token", paramLabel = "TOKEN", defaultValue = "${env:" + UI_TOKEN_ENV + "}",
            description = "the secret every UI request must carry (at least 16 of A-Z a-z 0-9 - . _ ~; default: the"
                    + " environment variable " + UI_TOKEN_ENV + ", else one generated at start off loopback, none on"
                    + " loopback)")
    String token;

    @Option(names = "--ui-stats", paramLabel = "FILE",
            description = "also save the UI statistics to FILE, for the 'ui' command (default with --ui: RUN/ui-stats.bin)")
    Path statsFile;

    /**
     * The UI settings for a run folder (caches under it), or null when the UI is off.
     *
     * @throws IllegalArgumentException naming the option, for a bad host, port or token (also without {@code --ui})
     */
    public Function<Path, UiOptions> options() {
        UiOptions checked = UiOptions.forRun(Path.of(".")).withHost(host).withPort(port).withToken(token);
        if (!enabled) {
            return null;
        }
        return runDir -> UiOptions.forRun(runDir).withHost(checked.host()).withPort(checked.port())
                .withToken(checked.token())
                .withStatsFile(statsFile != null ? statsFile : runDir.resolve("ui-stats.bin"));
    }
}
