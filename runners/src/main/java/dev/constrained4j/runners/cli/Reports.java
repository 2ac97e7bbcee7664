package dev.constrained4j.runners.cli;

import dev.constrained4j.reports.run.RunFiles;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a run's {@code report.html} at the end of a training command. */
final class Reports {

    private static final Logger LOG = LoggerFactory.getLogger(Reports.class);

    private Reports() {
    }

    static void write(Path runDir, boolean skip) {
        if (skip) {
            return;
        }
        Path html = ReportCommand.build(List.of(runDir), runDir.resolve(RunFiles.REPORT_HTML));
        LOG.info("report: {}", html.toAbsolutePath());
    }
}
