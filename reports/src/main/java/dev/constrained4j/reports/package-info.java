/**
 * Self-contained HTML reports built from run folders on disk ({@code run.json}, {@code metrics.csv},
 * per-sample CSVs, images); the entry point is {@link dev.constrained4j.reports.ReportBuilder}.
 */
package dev.constrained4j.reports;
