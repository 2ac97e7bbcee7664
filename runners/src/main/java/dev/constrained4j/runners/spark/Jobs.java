package dev.constrained4j.runners.spark;

import java.util.function.Supplier;
import org.apache.spark.SparkException;

/**
 * Runs a Spark action so that a failure inside a task reaches the caller as the exception the task threw (a
 * corrupt file, a missing checkpoint: one line that names the problem), not wrapped in Spark's report of the stage.
 */
final class Jobs {

    private Jobs() {
    }

    static <T> T run(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
    }

    /** The task's own exception when Spark wrapped one of the project's or an argument/state/I/O error. */
    static RuntimeException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkException) {
                continue;
            }
            if (t instanceof RuntimeException r && (r.getClass().getName().startsWith("dev.constrained4j.")
                    || r instanceof IllegalArgumentException || r instanceof IllegalStateException
                    || r instanceof java.io.UncheckedIOException)) {
                return r;
            }
        }
        return e;
    }
}
