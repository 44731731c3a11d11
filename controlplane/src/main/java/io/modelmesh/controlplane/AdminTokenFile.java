package io.modelmesh.controlplane;

import io.modelmesh.server.secrets.SecretFile;

import java.nio.file.Path;

/**
 * {@code HOME/admin-token}: the admin token of a control plane started without {@code --admin-token}. Created at first
 * start (32 random bytes as hex, readable by its owner only) and reused on every restart, so {@code mmctl} on the same
 * machine can read it.
 */
final class AdminTokenFile {
    static final String NAME = "admin-token";

    private AdminTokenFile() {
    }

    /** The configured token, else the one in {@code HOME/admin-token}, created when missing. */
    static String resolve(ControlPlaneConfig config) {
        return config.adminToken() != null ? config.adminToken() : loadOrCreate(config.home().resolve(NAME));
    }

    static String loadOrCreate(Path file) {
        return SecretFile.loadOrCreate(file, () -> SecretFile.randomHex(32),
                "delete it to have a new admin token created, or pass --admin-token");
    }
}
