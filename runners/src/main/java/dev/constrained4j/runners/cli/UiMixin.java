package dev.constrained4j.runners.cli;

import dev.constrained4j.runners.ui.UiOptions;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The live-UI options shared by every training command. */
public final class UiMixin {

    @Option(names = "--ui", description = "serve the DL4J training UI and the constrained-quantities page while training")
    boolean enabled;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "UI port (default 9000; 0 picks a free one)")
    int port = UiOptions.DEFAULT_PORT;

    @Option(names = "--ui-host", paramLabel = "ADDR",
            description = "address the UI binds (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)")
    String host = UiOptions.LOOPBACK;

    @Option(names = "--ui-stats", paramLabel = "FILE",
            description = "also save the UI statistics to FILE, for the 'ui' command (default with --ui: RUN/ui-stats.bin)")
    Path statsFile;

    /** The UI settings for a run folder (caches under it), or null when the UI is off. */
    public Function<Path, UiOptions> options() {
        if (!enabled) {
            return null;
        }
        UiOptions checked = UiOptions.forRun(Path.of(".")).withHost(host).withPort(port);
        return runDir -> UiOptions.forRun(runDir).withHost(checked.host()).withPort(checked.port())
                .withStatsFile(statsFile != null ? statsFile : runDir.resolve("ui-stats.bin"));
    }
}
