/**
 * Readers for the run-folder contract: {@code run.json} with its report hints, {@code metrics.csv}
 * and the other CSV tables a runner writes. Nothing here knows about training classes.
 */
package dev.constrained4j.reports.record;
