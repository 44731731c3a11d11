package io.modelmesh.cli;

import java.util.regex.Pattern;

/**
 * The one place where a server's error message is fitted for a person at {@code mmctl}. Servers word their errors for
 * both kinds of reader by one convention (docs/CONTRACTS.md, "Error messages"): the advice names the {@code mmctl}
 * command, and the HTTP endpoint that does the same follows in parentheses starting with its method, e.g.
 * {@code start one with mmctl canary (POST /deployments/canary)}. mmctl prints the message without those
 * parentheses, so what it shows names commands, never endpoints.
 */
public final class ServerMessages {
    /** {@code (POST /deployments/canary ...)} or {@code (see GET /x)}: an endpoint reference in parentheses. */
    private static final Pattern ENDPOINT = Pattern.compile(
            "\\s*\\((?:see )?(?:GET|POST|PUT|PATCH|DELETE) /[^()]*\\)");
    /** picocli's own messages (argument groups) begin with "Error: "; the handler already writes "error: ". */
    private static final Pattern ERROR_PREFIX = Pattern.compile("^(?:error|Error|ERROR):\\s*");

    private ServerMessages() {
    }

    /** The message without endpoint references in parentheses and without a leading "Error:". */
    public static String forCli(String message) {
        if (message == null) {
            return null;
        }
        String m = ERROR_PREFIX.matcher(message.strip()).replaceFirst("");
        return ENDPOINT.matcher(m).replaceAll("");
    }
}
