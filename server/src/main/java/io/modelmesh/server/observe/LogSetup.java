package io.modelmesh.server.observe;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Points java.util.logging (which Helidon's System.Logger calls also reach) at standard error in the chosen format.
 * Left alone when the JVM was given its own logging configuration ({@code -Djava.util.logging.config.file} or
 * {@code .class}).
 */
public final class LogSetup {
    private LogSetup() {
    }

    /** @param server named on every JSON line ({@code controlplane} or {@code dataplane}) */
    public static void configure(LogFormat format, String server) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        Handler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(formatter(format, server));
        root.addHandler(console);
    }

    public static Formatter formatter(LogFormat format, String server) {
        return format == LogFormat.TEXT ? new TextLogFormatter() : new JsonLogFormatter(server);
    }
}
