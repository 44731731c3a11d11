package io.modelmesh.engine;

/**
 * Turns runtime errors into API messages. Native runtimes and parsers put tracebacks and dumps after their first line;
 * a person fixing an upload needs the first line.
 */
public final class Messages {
    private Messages() {
    }

    /** The first line of the exception's message, or its class's simple name when it has no message. */
    public static String firstLine(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : firstLine(message);
    }

    /** The text up to its first line break. */
    public static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
