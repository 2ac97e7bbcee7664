/**
 * The run folder: {@code run.json}, {@code metrics.csv}, checkpoints, weights and per-sample records, all
 * written atomically (temporary file, then rename), so an interrupted run never leaves a half-written file.
 */
package dev.constrained4j.runners.run;
