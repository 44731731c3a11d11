package io.modelmesh.server.observe;

import java.util.Locale;

/** How the servers write their log ({@code MM_LOG_FORMAT} / {@code --log-format}). */
public enum LogFormat {
    /** One JSON object per line (the default): for log collectors. */
    JSON,
    /** One plain line per record: for people at a terminal. */
    TEXT;

    public static LogFormat parse(String text, String source) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "text" -> TEXT;
            default -> throw new IllegalArgumentException(source + " must be json or text, got '" + text + "'");
        };
    }
}
