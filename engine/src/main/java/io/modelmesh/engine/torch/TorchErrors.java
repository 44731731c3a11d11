package io.modelmesh.engine.torch;

import java.util.regex.Pattern;

/**
 * Short, readable reasons from libtorch's exceptions. A TorchScript failure arrives (through DJL's
 * {@code EngineException}) as "The following operation failed in the TorchScript interpreter.", then a traceback of
 * the serialized and the original code, and only then the error itself ({@code RuntimeError: mat1 and mat2 shapes
 * cannot be multiplied (1x3 and 4x16)}); the first line says nothing, so the last error line is what a user sees.
 */
final class TorchErrors {
    private static final Pattern ERROR_LINE = Pattern.compile("[A-Za-z_][\\w.]*(Error|Exception): .*");

    private TorchErrors() {
    }

    /** The error line of a libtorch message, or its first non-blank line when it has none. */
    static String reason(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String[] lines = message.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (ERROR_LINE.matcher(lines[i]).matches()) {
                return lines[i].strip();
            }
        }
        for (String line : lines) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The reasons of an exception and its causes, joined: DJL wraps the native cause in a generic message. */
    static String describeChain(Throwable e) {
        StringBuilder sb = new StringBuilder(reason(e));
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 8; depth++, c = c.getCause()) {
            String r = reason(c);
            if (sb.indexOf(r) < 0) {
                sb.append(": ").append(r);
            }
        }
        return sb.toString();
    }
}
