package io.modelmesh.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where admin-only commands ({@code chaos}) find the control plane's admin token: {@code --token}, else {@code MM_TOKEN},
 * else the file {@code $MM_HOME/admin-token} that a control plane started by {@code mmctl up} writes.
 */
public final class AdminToken {
    public static final String ENV = "MM_TOKEN";
    public static final String FILE = "admin-token";

    private AdminToken() {
    }

    /**
     * @param option the {@code --token} value, or null
     * @throws CliException (invalid input) naming every place looked at when none has a token
     */
    public static String resolve(String option, CliEnvironment env) {
        if (option != null && !option.isBlank()) {
            return option.trim();
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null) {
            return fromEnv.trim();
        }
        Path file = env.home().resolve(FILE);
        if (Files.isRegularFile(file)) {
            try {
                String t = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!t.isEmpty()) {
                    return t;
                }
            } catch (IOException e) {
                throw CliException.invalidInput("cannot read the admin token from " + file + ": " + e.getMessage());
            }
        }
        throw CliException.invalidInput("no admin token: --token not given, " + ENV + " not set, and " + file
                + " does not exist or is empty (a control plane started with 'mmctl up' writes it there; set MM_HOME "
                + "to that stack's home)");
    }
}
