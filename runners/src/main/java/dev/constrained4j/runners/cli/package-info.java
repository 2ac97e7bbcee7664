/** The command line: one picocli command per experiment and tool, each with {@code --help}. */
package dev.constrained4j.runners.cli;
