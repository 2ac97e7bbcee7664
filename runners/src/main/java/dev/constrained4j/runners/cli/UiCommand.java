package dev.constrained4j.runners.cli;

import dev.constrained4j.runners.ui.TrainingMonitor;
import dev.constrained4j.runners.ui.UiOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ui}: serves a saved run's UI statistics again, until interrupted (Ctrl-C). */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Replay the training UI of a finished or interrupted run: the DL4J pages and the",
                "constrained-quantities page, from RUN/ui-stats.bin (written by a training command run with --ui)."})
public final class UiCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR_OR_STATS_FILE", description = "a run folder, or a stats file saved with --ui-stats")
    Path source;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "port (default 9000)")
    int port = UiOptions.DEFAULT_PORT;

    @Option(names = "--ui-host", paramLabel = "ADDR",
            description = "address to bind (default 127.0.0.1; any other needs the token printed at start)")
    String host = UiOptions.LOOPBACK;

    @Option(names = "--ui-token", paramLabel = "TOKEN", defaultValue = "${env:" + UiMixin.UI_TOKEN_ENV + "}",
            description = "the secret every request must carry (at least 16 of A-Z a-z 0-9 - . _ ~; default: the"
                    + " environment variable " + UiMixin.UI_TOKEN_ENV + ", else generated off loopback)")
    String token;

    @Override
    public Integer call() throws Exception {
        UiOptions checked = UiOptions.disabled().withHost(host).withPort(port).withToken(token);
        Path stats = Files.isDirectory(source) ? source.resolve("ui-stats.bin") : source;
        if (!Files.isRegularFile(stats)) {
            throw new IllegalArgumentException("no UI statistics at " + stats
                    + " (train with --ui, or pass the file given to --ui-stats)");
        }
        Path cache = (Files.isDirectory(source) ? source : stats.toAbsolutePath().getParent())
                .resolve(UiOptions.CACHE_FOLDER);
        TrainingMonitor.replay(stats, UiOptions.forRun(cache.getParent()).withHost(checked.host())
                .withPort(checked.port()).withToken(checked.token()).withCacheDir(cache));
        return 0;
    }
}
