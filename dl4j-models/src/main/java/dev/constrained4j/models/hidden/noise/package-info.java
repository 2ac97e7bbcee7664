/**
 * The noise layers of the original HiDDeN between encoder and decoder (identity, crop, cropout, dropout,
 * resize, JPEG-mask, quantisation), defined in SameDiff, and the parser of the reference's {@code --noise} syntax.
 */
package dev.constrained4j.models.hidden.noise;
