/** Schedules of the penalty coefficient: small immutable, validated value objects. */
package dev.constrained4j.losses.schedule;
