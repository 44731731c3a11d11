package io.modelmesh.cli;

/**
 * A failure detected by mmctl itself (not by a server), carrying its exit code and a message that says what to fix.
 * The execution exception handler prints {@code error: <message>} and exits with {@link #exitCode()}.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static CliException invalidInput(String message) {
        return new CliException(ExitCodes.INVALID_INPUT, message);
    }

    public static CliException unavailable(String message) {
        return new CliException(ExitCodes.UNAVAILABLE, message);
    }

    public static CliException failure(String message) {
        return new CliException(ExitCodes.FAILURE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
