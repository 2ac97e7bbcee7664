/** Entry point of the constrained4j command line ({@code mvn exec:java}). */
package dev.constrained4j.runners;
