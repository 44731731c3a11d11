package io.modelmesh.dataplane.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.engine.validate.ValidationLimits;
import io.modelmesh.engine.validate.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * What the child-process validation of each artifact found, kept in the node's directory ({@code verdicts/}), so a node
 * validates an artifact (with its framework and features) once, and refuses a bad one again without downloading it.
 * A verdict about a limit holds only under the limits it was reached with: raising them validates again.
 */
final class VerdictCache {
    private static final Logger LOG = System.getLogger(VerdictCache.class.getName());

    private final Path dir;
    private final ObjectMapper json = Json.mapper();

    VerdictCache(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * A stored verdict.
     *
     * @param key           what was validated (sha256, framework, features)
     * @param valid         whether it passed
     * @param reason        why it was refused (a {@link Verdict.Reason} name), or null
     * @param message       the refusal's message, or null
     * @param timeoutMillis the time limit it was validated under
     * @param memoryBytes   the memory limit it was validated under
     */
    record Entry(String key, boolean valid, String reason, String message, long timeoutMillis, long memoryBytes) {

        /** Whether this verdict still decides under {@code limits}. */
        boolean holdsUnder(ValidationLimits limits) {
            boolean sameLimits = timeoutMillis == limits.timeout().toMillis() && memoryBytes == limits.memoryBytes();
            return sameLimits || !valid && (Verdict.Reason.INVALID_MODEL.name().equals(reason)
                    || Verdict.Reason.CRASHED.name().equals(reason));
        }
    }

    Optional<Entry> find(String key, ValidationLimits limits) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Entry e = json.readValue(file.toFile(), Entry.class);
            return key.equals(e.key()) && e.holdsUnder(limits) ? Optional.of(e) : Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "ignoring unreadable verdict " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores a valid or refused verdict (an unavailable validator decided nothing and is not stored). */
    void save(String key, Verdict verdict, ValidationLimits limits) {
        Entry entry = switch (verdict) {
            case Verdict.Valid v -> new Entry(key, true, null, null, limits.timeout().toMillis(), limits.memoryBytes());
            case Verdict.Refused r -> new Entry(key, false, r.reason().name(), r.message(),
                    limits.timeout().toMillis(), limits.memoryBytes());
            case Verdict.Unavailable u -> null;
        };
        if (entry == null) {
            return;
        }
        Path tmp = dir.resolve(".verdict-" + UUID.randomUUID() + ".tmp");
        try {
            json.writeValue(tmp.toFile(), entry);
            Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot store the verdict on " + key + " (it is validated again next time): "
                    + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temporary verdict is removed at the next start
            }
        }
    }

    /** Removes temporary files a crash left behind. */
    void removeTemporaryFiles() throws IOException {
        try (var files = Files.newDirectoryStream(dir, ".verdict-*.tmp")) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path file(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
