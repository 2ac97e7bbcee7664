package dev.constrained4j.runners.cli;

import dev.constrained4j.runners.hidden.HiddenExperiment;
import dev.constrained4j.runners.run.Continuation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hidden continue RUN_DIR [-e N] [-d DIR] [--threads N]}: resumes a finished or interrupted HiDDeN run from
 * its last completed epoch with the configuration in its {@code run.json} (its thread count included), trained on to
 * N epochs and reading its images from DIR when given; the remaining epochs are those of an uninterrupted run.
 */
@Command(name = "continue", mixinStandardHelpOptions = true,
        description = "Continue a finished or interrupted HiDDeN run from its last completed epoch, with the"
                + " configuration in RUN_DIR/run.json, optionally to more epochs (-e) or from moved images (-d); the"
                + " results equal those of an uninterrupted run.")
public final class HiddenContinueCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "the run folder OUT/<run-id> that 'hidden new' created")
    Path runDir;

    @Option(names = {"-e", "--epochs"}, paramLabel = "N",
            description = "train every model on to N epochs (default: the recorded number; a finished run with N above"
                    + " it trains on, and its test evaluation and report are made again)")
    Integer epochs;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "the images' new folder, if they moved (their decoded pixels must match the recorded"
                    + " checksum)")
    Path dataDir;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J threads (default: the number the run was trained with; another one is recorded, and"
                    + " the remaining epochs may round differently from an uninterrupted run's)")
    Integer threads;

    @Option(names = "--no-report", description = "do not write report.html at the end")
    boolean noReport;

    @Mixin
    UiMixin ui = new UiMixin();

    @Override
    public Integer call() {
        HiddenExperiment.Result result = new HiddenExperiment(List.of(), ui.options())
                .resume(runDir, new Continuation(epochs, dataDir, threads));
        Reports.write(result.runDir(), noReport);
        return 0;
    }
}
