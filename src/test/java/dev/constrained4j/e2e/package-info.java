/**
 * End-to-end tests: the command line run on the real, shipped data with tiny limits, checked through the files
 * a user gets (run.json, metrics.csv, report.html), resume included.
 */
package dev.constrained4j.e2e;
