package io.modelmesh.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time} (ISO-8601, UTC), {@code level}, {@code logger}, {@code message}, the
 * record's {@link LogFields} as top-level members, {@code server} (which process), {@code thread}, and for a record
 * with a throwable {@code exception} (class and message) and {@code stack} (the whole trace). Strings are escaped as
 * JSON requires (quotes, backslashes, every control character), so a message with a newline stays one line.
 */
public final class JsonLogFormatter extends Formatter {
    private final String server;

    /** @param server written as {@code server} on every line ({@code controlplane}, {@code dataplane}), or null */
    public JsonLogFormatter(String server) {
        this.server = server;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":\"").append(record.getInstant()).append('"');
        member(b, "level", level(record.getLevel()));
        member(b, "logger", record.getLoggerName() == null ? "" : record.getLoggerName());
        member(b, "message", message(record));
        Object[] params = record.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof LogFields fields) {
            fields.forEach((name, value) -> {
                if (value != null) {
                    member(b, name, value);
                }
            });
        }
        if (server != null) {
            member(b, "server", server);
        }
        member(b, "thread", Thread.currentThread().getName());
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            member(b, "exception", thrown.getClass().getName()
                    + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()));
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            member(b, "stack", trace.toString());
        }
        return b.append("}\n").toString();
    }

    /** The message with {0}-style parameters filled in, unless the parameter is structured fields. */
    private String message(LogRecord record) {
        Object[] params = record.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof LogFields) {
            return record.getMessage() == null ? "" : record.getMessage();
        }
        String m = formatMessage(record);
        return m == null ? "" : m;
    }

    /** JUL's levels under the names log tools expect. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static void member(StringBuilder b, String name, Object value) {
        b.append(',');
        string(b, name);
        b.append(':');
        if (value instanceof Number || value instanceof Boolean) {
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                    || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
                string(b, value.toString());
            } else {
                b.append(value);
            }
        } else {
            string(b, String.valueOf(value));
        }
    }

    /** A JSON string: quotes, backslashes and every character below 0x20 escaped; U+2028/2029 too. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
