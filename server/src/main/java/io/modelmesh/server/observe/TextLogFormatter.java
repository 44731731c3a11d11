package io.modelmesh.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line a record for people at a terminal ({@code MM_LOG_FORMAT=text}): time, level, logger, message, then the
 * record's {@link LogFields} as {@code name=value}; a throwable's stack trace follows on its own lines.
 */
public final class TextLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder b = new StringBuilder(160);
        b.append(record.getInstant()).append(' ').append(JsonLogFormatter.level(record.getLevel())).append(' ')
                .append(record.getLoggerName()).append(' ');
        Object[] params = record.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof LogFields fields) {
            b.append(record.getMessage());
            fields.forEach((name, value) -> {
                if (value != null) {
                    b.append(' ').append(name).append('=').append(value);
                }
            });
        } else {
            b.append(formatMessage(record));
        }
        b.append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            b.append(trace);
        }
        return b.toString();
    }
}
