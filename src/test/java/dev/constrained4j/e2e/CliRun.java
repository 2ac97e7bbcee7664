package dev.constrained4j.e2e;

import dev.constrained4j.runners.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One invocation of the command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
