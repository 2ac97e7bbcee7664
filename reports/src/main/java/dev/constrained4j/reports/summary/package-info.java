/**
 * What the aggregated layouts (fairness, weights) share: a group of modes read at their last epochs
 * and per epoch ({@link dev.constrained4j.reports.summary.ModeSet}), the mean and sd over them
 * ({@link dev.constrained4j.reports.summary.ModeStats}), and the CSV text of a final table.
 */
package dev.constrained4j.reports.summary;
