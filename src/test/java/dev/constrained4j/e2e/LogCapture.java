package dev.constrained4j.e2e;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** The warnings our code logs while it is open (the project's loggers, {@code dev.constrained4j.*}). */
final class LogCapture implements AutoCloseable {

    private static final String NAME = "test-capture";

    private final List<String> warnings = new ArrayList<>();
    private final LoggerConfig config;
    private final AbstractAppender appender;

    LogCapture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        config = context.getConfiguration().getLoggerConfig("dev.constrained4j");
        appender = new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (warnings) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        config.addAppender(appender, Level.WARN, null);
        context.updateLoggers();
    }

    /** The messages of the warnings (and errors) logged so far. */
    List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    @Override
    public void close() {
        config.removeAppender(NAME);
        appender.stop();
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    }
}
