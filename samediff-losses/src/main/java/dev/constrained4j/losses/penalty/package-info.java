/**
 * Objectives of the sequential penalty method (seed 000/001): the plain task loss, the fixed penalty and the
 * per-sample hinge penalty, defined in SameDiff with the coefficient as a placeholder.
 */
package dev.constrained4j.losses.penalty;
