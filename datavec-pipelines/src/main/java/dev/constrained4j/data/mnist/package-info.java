/** MNIST in its original IDX format (raw or gzipped): reader, checksums and seeded batching. */
package dev.constrained4j.data.mnist;
