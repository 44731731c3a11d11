package io.modelmesh.dataplane.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.api.NodeCredentials;
import io.modelmesh.api.Scope;
import io.modelmesh.server.auth.BearerGuard;
import io.modelmesh.server.auth.Principal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tokens this node accepts, as hashes the control plane sends ({@code GET /nodes/{id}/credentials}), so a
 * prediction is checked without a round trip. Kept in {@code credentials.json} (owner-only) in the node's directory,
 * so a node restarted while the control plane is down still knows them.
 */
public final class NodeCredentialStore implements BearerGuard.Directory {
    private static final Logger LOG = System.getLogger(NodeCredentialStore.class.getName());
    private static final String FILE = "credentials.json";

    private record Entry(Principal principal, java.time.Instant expiresAt) {
    }

    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = Json.mapper();
    private volatile String version = "";
    private volatile Map<String, Entry> byHash = Map.of();

    public NodeCredentialStore(Path nodeDir, Clock clock) {
        this.file = nodeDir.resolve(FILE);
        this.clock = clock;
    }

    /** Loads what the last run saved, if anything. */
    public NodeCredentialStore restore() {
        try {
            install(json.readValue(Files.readAllBytes(file), NodeCredentials.class), false);
        } catch (NoSuchFileException e) {
            // first start: the control plane sends them after the node joins
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring unreadable {0}: {1}", file, e.getMessage());
        }
        return this;
    }

    /** The version held (what heartbeats are compared with). */
    public String version() {
        return version;
    }

    /** Takes a new set from the control plane and saves it. */
    public void update(NodeCredentials credentials) {
        install(credentials, true);
    }

    private void install(NodeCredentials credentials, boolean save) {
        Map<String, Entry> next = new HashMap<>();
        for (NodeCredentials.Credential c : credentials.tokens()) {
            java.util.Set<Scope> scopes = java.util.EnumSet.noneOf(Scope.class);
            for (String s : c.scopes()) {
                try {
                    scopes.add(Scope.parse(s));
                } catch (IllegalArgumentException ignored) {
                    // a scope a newer control plane knows: grants nothing here
                }
            }
            next.put(c.tokenHash(), new Entry(Principal.token(c.name(), scopes, c.rateLimit(), c.tokenHash()),
                    c.expiresAt()));
        }
        if (save) {
            save(credentials);
        }
        byHash = Map.copyOf(next);
        version = credentials.version() == null ? "" : credentials.version();
    }

    @Override
    public Optional<Principal> find(String tokenHash) {
        Entry e = byHash.get(tokenHash);
        if (e == null || (e.expiresAt() != null && !clock.instant().isBefore(e.expiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(e.principal());
    }

    private void save(NodeCredentials credentials) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, json.writeValueAsBytes(credentials));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save {0}: {1} (the node keeps them in memory)", file, e.getMessage());
        }
    }
}
