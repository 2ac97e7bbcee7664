package dev.constrained4j.runners.cli;

import dev.constrained4j.runners.hidden.HiddenExperiment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hidden continue RUN_DIR}: resumes an interrupted HiDDeN run from its last completed epoch with the
 * configuration in its {@code run.json}; the remaining epochs are those of an uninterrupted run.
 */
@Command(name = "continue", mixinStandardHelpOptions = true,
        description = "Continue an interrupted HiDDeN run from its last completed epoch, with the configuration in"
                + " RUN_DIR/run.json (the results equal those of an uninterrupted run).")
public final class HiddenContinueCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "the run folder OUT/<run-id> that 'hidden new' created")
    Path runDir;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J threads (default 1)")
    int threads = 1;

    @Option(names = "--no-report", description = "do not write report.html at the end")
    boolean noReport;

    @Mixin
    UiMixin ui = new UiMixin();

    @Override
    public Integer call() {
        Threads.apply(threads);
        HiddenExperiment.Result result = new HiddenExperiment(List.of(), ui.options()).resume(runDir);
        Reports.write(result.runDir(), noReport);
        return 0;
    }
}
