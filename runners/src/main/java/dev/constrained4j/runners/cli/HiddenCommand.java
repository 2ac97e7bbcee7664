package dev.constrained4j.runners.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hidden}: the HiDDeN watermarking experiment (README, "The HiDDeN experiment"), with the reference's two subcommands
 * ({@code new}, {@code continue}).
 */
@Command(name = "hidden", mixinStandardHelpOptions = true,
        description = "Train HiDDeN watermarking models: the baseline and/or one model per per-image PSNR bound"
                + " (sequential penalty method). Writes OUT/<run-id>/ with run.json, metrics.csv, checkpoints,"
                + " per-image test results, image grids and report.html.",
        subcommands = {HiddenNewCommand.class, HiddenContinueCommand.class})
public final class HiddenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "hidden needs a subcommand: 'hidden new [OPTIONS]' or 'hidden continue RUN_DIR'");
    }
}
