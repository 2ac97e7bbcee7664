package dev.constrained4j.runners.cli;

import dev.constrained4j.reports.ReportBuilder;
import dev.constrained4j.reports.run.RunFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report}: (re)builds one self-contained HTML page from one or several run folders. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Build a self-contained report.html from one or several run folders (their run.json,",
                "metrics.csv, samples/ and images/). With several runs, the page compares them."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders OUT/<run-id>")
    List<Path> runDirs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "the HTML file (default: RUN_DIR/report.html for one run, ./report.html for several)")
    Path output;

    @Override
    public Integer call() {
        Path target = output != null ? output
                : runDirs.size() == 1 ? runDirs.get(0).resolve(RunFiles.REPORT_HTML) : Path.of("report.html");
        Path html = build(runDirs, target);
        System.out.println("report: " + html.toAbsolutePath());
        return 0;
    }

    /** Builds the page; a thin seam between the command line and the reports module. */
    static Path build(List<Path> runDirs, Path target) {
        return ReportBuilder.write(runDirs, target);
    }
}
