/**
 * The fused HiDDeN engine: the networks' forward and backward passes written by hand on channels-last buffers that
 * are allocated once, with convolutions as oneDNN {@code conv2d} ops and batch norm, ReLU, pooling and losses as Java
 * loops. The SameDiff graphs of {@code HiddenSameDiff} stay the definition; tests hold this engine to them.
 */
package dev.constrained4j.models.hidden.fast;
