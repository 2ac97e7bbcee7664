/**
 * Constraints that are expectations over groups of samples (a group's positive rate against the overall one), with
 * their values and derivatives for a batch; {@code docs/fairness.md} has the definitions.
 */
package dev.constrained4j.losses.group;
