/**
 * Chart models (line, scatter, histogram, box plot), the statistics behind them (binning,
 * quartiles) and their server-side SVG rendering, used for printing and when JavaScript is off.
 */
package dev.constrained4j.reports.chart;
