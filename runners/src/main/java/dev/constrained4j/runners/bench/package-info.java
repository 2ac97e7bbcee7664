/**
 * Small timing programs behind {@code bench/run.sh} (BENCHMARKS.md): one MNIST epoch with full evaluation, HiDDeN
 * training throughput, matrix-multiply throughput. Each prints one JSON line; none is a test.
 */
package dev.constrained4j.runners.bench;
