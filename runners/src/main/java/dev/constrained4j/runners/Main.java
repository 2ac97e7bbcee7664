package dev.constrained4j.runners;

import dev.constrained4j.runners.cli.FairnessCommand;
import dev.constrained4j.runners.cli.HiddenCommand;
import dev.constrained4j.runners.cli.MnistCommand;
import dev.constrained4j.runners.cli.ReportCommand;
import dev.constrained4j.runners.cli.UiCommand;
import dev.constrained4j.runners.cli.WeightsCommand;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code constrained4j} command line. Run it with
 * {@code mvn -q compile exec:java -pl runners -am -Dexec.args="mnist --help"}.
 *
 * <p>Errors in the input (missing or corrupt data, bad options, NaN in the loss) end the program with a
 * one-line message on standard error and a non-zero exit status: 2 for usage errors, 1 for bad input or a
 * failed run, 3 for a diverged run.
 */
@Command(name = "constrained4j", mixinStandardHelpOptions = true, version = "constrained4j 0.1.0",
        description = "Training neural networks under per-sample constraints on DL4J/ND4J.",
        subcommands = {MnistCommand.class, HiddenCommand.class, FairnessCommand.class, WeightsCommand.class, ReportCommand.class, UiCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Exit status of a diverged run (NaN or infinite objective). */
    public static final int DIVERGED = 3;

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit status (no {@code System.exit}: tests call this). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams and returns its exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter stderr = commandLine.getErr();
            stderr.println("error: " + oneLine(e));
            if (Boolean.getBoolean("c4j.stacktrace") || !isExpected(e)) {
                e.printStackTrace(stderr);
            }
            stderr.flush();
            return e instanceof dev.constrained4j.runners.engine.DivergenceException ? DIVERGED : 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only exceptions to the handler above; a size too large for this machine is bad input too
            err.println("error: out of memory (" + oneLine(e) + "); choose smaller sizes (--batch-size, -s/--size,"
                    + " --channels, --hidden, -m/--message) or give Java more memory (-Xmx,"
                    + " -Dorg.bytedeco.javacpp.maxphysicalbytes)");
            if (Boolean.getBoolean("c4j.stacktrace")) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }
    }

    private static boolean isExpected(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                || e instanceof dev.constrained4j.data.DataException
                || e instanceof dev.constrained4j.reports.ReportException
                || e instanceof dev.constrained4j.runners.engine.DivergenceException
                || e instanceof IllegalStateException;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
