package dev.constrained4j.reports;

/**
 * Thrown when a report cannot be built: a run folder's {@code run.json} or {@code metrics.csv} is
 * missing or malformed, or the output cannot be written. The message is one line that names the
 * file and the problem, e.g. {@code "run-1/metrics.csv: line 7 has 4 cells, header has 15"}.
 */
public class ReportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the file and the problem
     */
    public ReportException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and the problem
     * @param cause   the underlying failure
     */
    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
