/**
 * Assembly of the single self-contained report page: HTML, inlined CSS, the inlined charting
 * library and the chart data as embedded JSON.
 */
package dev.constrained4j.reports.html;
