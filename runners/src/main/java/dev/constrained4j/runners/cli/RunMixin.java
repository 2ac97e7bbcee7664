package dev.constrained4j.runners.cli;

import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Option;

/**
 * The options every training command shares (where runs go, threads, resume, report) and the one way a command
 * runs: resume the given run folder with its recorded configuration, or start a new run; then write the report.
 */
final class RunMixin {

    @Option(names = {"-o", "--out-dir"}, paramLabel = "DIR", description = "where run folders are created (default: runs)")
    Path outDir;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J threads (default 1; with --resume, the number the run was trained with)")
    Integer threads;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue an interrupted run from its last completed epoch, with the configuration in its"
                    + " run.json (other options but --threads are ignored)")
    Path resume;

    @Option(names = "--no-report", description = "do not write report.html at the end")
    boolean noReport;

    /**
     * Resumes {@link #resume} if given (the experiment sets the recorded threads, or {@code --threads}), else runs
     * {@code config} with ND4J's threads set first; writes the report.
     *
     * @param run     starts a run and returns its folder
     * @param resumed resumes a run folder, on the given threads or (null) the recorded ones, and returns it
     * @return the exit status, 0
     */
    <C> int execute(Supplier<C> config, ToIntFunction<C> threadsOf, Function<C, Path> run,
                    BiFunction<Path, Integer, Path> resumed) {
        Path dir;
        if (resume != null) {
            dir = resumed.apply(resume, threads);
        } else {
            C c = config.get();
            Threads.apply(threadsOf.applyAsInt(c));
            dir = run.apply(c);
        }
        Reports.write(dir, noReport);
        return 0;
    }
}
