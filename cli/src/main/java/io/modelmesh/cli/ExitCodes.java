package io.modelmesh.cli;

import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of mmctl, named once. {@link #of(Throwable)} is the single mapping from exceptions to codes; the root
 * command's help lists them ({@link #HELP}).
 */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** Anything not covered below: an unexpected server answer, a bug. */
    public static final int FAILURE = 1;
    /** The command line or an input is wrong (bad option, missing file, invalid JSON, 400/413/422 from a server). */
    public static final int INVALID_INPUT = 2;
    /** The model, version or deployment does not exist (404). */
    public static final int NOT_FOUND = 3;
    /** The request contradicts stored state, e.g. the same version registered with other bytes (409). */
    public static final int CONFLICT = 4;
    /** A server is unreachable, overloaded or not ready, or the local stack could not start (connection refused, 429, 5xx). */
    public static final int UNAVAILABLE = 5;
    /** No token, an unknown one, or one without the scope the command needs (401, 403). */
    public static final int NOT_ALLOWED = 6;
    /** Ctrl-C stopped the command (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    /** The "Exit Codes" section of {@code mmctl --help}, in picocli's {@code code:description} form. */
    static final Map<String, String> HELP = help();

    private static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OK + "", "success");
        m.put(FAILURE + "", "failure not covered below (unexpected answer, bug: rerun with --verbose)");
        m.put(INVALID_INPUT + "", "invalid input: bad option or argument, missing file, invalid JSON, rejected model");
        m.put(NOT_FOUND + "", "not found: unknown model, version or deployment");
        m.put(CONFLICT + "", "conflict: e.g. the same version registered with other bytes");
        m.put(UNAVAILABLE + "", "unavailable: a server is unreachable, overloaded or not ready, or 'up' could not "
                + "start the stack");
        m.put(NOT_ALLOWED + "", "not allowed: no token, an unknown one, or one without the scope the command needs");
        return java.util.Collections.unmodifiableMap(m);
    }

    private ExitCodes() {
    }

    /** The name of an exit code, as the shell shows it after a command: {@code NOT_FOUND}. */
    public static String name(int code) {
        return switch (code) {
            case OK -> "OK";
            case FAILURE -> "FAILURE";
            case INVALID_INPUT -> "INVALID_INPUT";
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case UNAVAILABLE -> "UNAVAILABLE";
            case NOT_ALLOWED -> "NOT_ALLOWED";
            case INTERRUPTED -> "INTERRUPTED";
            default -> "EXIT_" + code;
        };
    }

    /** The exit code for an exception that ended a command. */
    public static int of(Throwable e) {
        return switch (e) {
            case CliException c -> c.exitCode();
            case CommandLine.ParameterException p -> INVALID_INPUT;
            case ModelMeshException.InvalidRequestException x -> INVALID_INPUT;
            case ModelMeshException.PayloadTooLargeException x -> INVALID_INPUT;
            case ModelMeshException.NotFoundException x -> NOT_FOUND;
            case ModelMeshException.ConflictException x -> CONFLICT;
            case ModelMeshException.UnavailableException x -> UNAVAILABLE;
            case ModelMeshException.UnauthorizedException x -> NOT_ALLOWED;
            case InterruptedException x -> INTERRUPTED;
            default -> FAILURE;
        };
    }
}
