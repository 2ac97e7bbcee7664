/** Data in: errors and helpers shared by every reader of the project. */
package dev.constrained4j.data;
