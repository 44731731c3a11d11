package io.modelmesh.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where mmctl finds the token it sends: {@code --token-file FILE}, else {@code MM_TOKEN}, else the file
 * {@code $MM_HOME/admin-token} that a control plane started by {@code mmctl up} writes. Never a token on the command
 * line: every user of the machine can read command lines.
 */
public final class TokenSource {
    public static final String ENV = "MM_TOKEN";
    public static final String FILE = "admin-token";

    private TokenSource() {
    }

    /**
     * @param tokenFile the {@code --token-file} value, or null
     * @return the token, or empty when none is configured (the server then says what it needs)
     * @throws CliException (invalid input) when a given token file cannot be read or is empty
     */
    public static Optional<String> resolve(Path tokenFile, CliEnvironment env) {
        if (tokenFile != null) {
            return Optional.of(read(tokenFile, true));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null) {
            return Optional.of(fromEnv.trim());
        }
        Path file = env.home().resolve(FILE);
        if (Files.isRegularFile(file) && Files.isReadable(file)) {
            String t = read(file, false);
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        }
        return Optional.empty();
    }

    private static String read(Path file, boolean required) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.isEmpty() && required) {
                throw CliException.invalidInput("the token file " + file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw CliException.invalidInput("cannot read the token file " + file + ": " + e.getMessage());
        }
    }
}
