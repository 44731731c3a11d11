package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;

/** The control plane's health: it is live while it answers, ready while its database answers a trivial query. */
public final class DatabaseHealth {
    private final Database database;

    public DatabaseHealth(Database database) {
        this.database = database;
    }

    /** The {@code GET /health} document: {@code {"status":"UP","live":true,"ready":true,"checks":{"database":"UP"}}}. */
    public record Report(String status, boolean live, boolean ready, Map<String, String> checks, String message) {
        @JsonIgnore
        public boolean up() {
            return ready;
        }
    }

    public Report check() {
        try {
            database.ping();
            return new Report("UP", true, true, Map.of("database", "UP"), null);
        } catch (RuntimeException e) {
            return new Report("DOWN", true, false, Map.of("database", "DOWN"),
                    "database check failed: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
