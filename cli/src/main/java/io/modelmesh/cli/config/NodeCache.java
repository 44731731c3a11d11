package io.modelmesh.cli.config;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelmesh.api.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The data-plane nodes {@code mmctl predict} last saw live, per control plane, so predictions still work while the
 * control plane is down (the nodes keep serving their routing table). Kept in {@code nodes.json} in mmctl's config
 * directory, bounded ({@link #MAX_CONTROL_PLANES} control planes, the most recently seen kept; {@link #MAX_NODES}
 * nodes each). Best effort: a file that cannot be read or written is as if empty, never an error.
 */
public final class NodeCache {
    public static final int MAX_CONTROL_PLANES = 16;
    public static final int MAX_NODES = 64;
    static final long MAX_BYTES = 256 * 1024;

    /** The nodes seen live through one set of control planes, and when. */
    public record Entry(String controlPlanes, List<String> nodes, Instant seenAt) {
        public Entry {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }

        public List<URI> uris() {
            return nodes.stream().map(URI::create).toList();
        }
    }

    private final Path file;

    public NodeCache(Path file) {
        this.file = file;
    }

    /** Remembers these live nodes for these control planes (no nodes: nothing to remember, the old entry stays). */
    public void remember(List<URI> controlPlanes, List<URI> nodes, Instant now) {
        if (nodes.isEmpty()) {
            return;
        }
        String key = key(controlPlanes);
        List<Entry> entries = new ArrayList<>(read());
        entries.removeIf(e -> e.controlPlanes().equals(key));
        entries.add(new Entry(key, nodes.stream().limit(MAX_NODES).map(URI::toString).toList(), now));
        entries.sort(Comparator.comparing(Entry::seenAt).reversed());
        write(entries.stream().limit(MAX_CONTROL_PLANES).toList());
    }

    /** The nodes last seen for these control planes. */
    public Optional<Entry> lastSeen(List<URI> controlPlanes) {
        String key = key(controlPlanes);
        return read().stream().filter(e -> e.controlPlanes().equals(key)).findFirst();
    }

    List<Entry> read() {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return List.of();
            }
            List<Entry> entries = Json.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeReference<List<Entry>>() { });
            return entries == null ? List.of() : entries.stream()
                    .filter(e -> e.controlPlanes() != null && e.seenAt() != null).limit(MAX_CONTROL_PLANES)
                    .map(e -> new Entry(e.controlPlanes(), e.nodes().stream().limit(MAX_NODES).toList(), e.seenAt()))
                    .toList();
        } catch (IOException | RuntimeException e) { // unreadable or not ours: start afresh
            return List.of();
        }
    }

    private void write(List<Entry> entries) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.mapper().writeValueAsString(entries), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException ignored) {
            // a read-only home: predictions still work, only the fallback is not remembered
        }
    }

    private static String key(List<URI> controlPlanes) {
        return String.join(",", controlPlanes.stream().map(URI::toString).toList());
    }
}
