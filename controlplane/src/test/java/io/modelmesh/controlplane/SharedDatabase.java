package io.modelmesh.controlplane;

import io.modelmesh.controlplane.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A second control plane on the embedded PostgreSQL of a first one, connecting with its password like any client. */
final class SharedDatabase {
    private SharedDatabase() {
    }

    /** Test defaults under {@code home}, on {@code owner}'s embedded database as its superuser. */
    static ControlPlaneConfig on(ControlPlane owner, Path home) {
        return ControlPlaneConfig.forTests(home).withDatabase(owner.database().jdbcUrl(), "postgres",
                password(owner.config().home()));
    }

    /** The embedded PostgreSQL's password that a control plane on {@code home} made at its first start. */
    static String password(Path home) {
        try {
            return Files.readString(home.resolve(Database.EMBEDDED_PASSWORD_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
