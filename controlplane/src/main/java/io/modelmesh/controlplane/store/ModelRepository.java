package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.RouteTarget;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The {@code models} table, and model summaries joined from versions and deployments. */
public final class ModelRepository {
    private static final String SUMMARY = """
            SELECT m.name, m.framework, m.created_at,
                   (SELECT count(*) FROM model_versions v WHERE v.model = m.name) AS versions,
                   (SELECT v.version FROM model_versions v WHERE v.model = m.name
                     ORDER BY v.major DESC, v.minor DESC, v.patch DESC LIMIT 1) AS latest_version,
                   (SELECT d.route::text FROM deployments d WHERE d.model = m.name
                     ORDER BY d.revision DESC LIMIT 1) AS live_route
              FROM models m
            """;

    private final DbClient db;
    private final ObjectMapper json;

    public ModelRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Inserts the model unless it exists; true when inserted. */
    public boolean insertIfAbsent(DbExecute ex, String name, String framework, Instant at) {
        return ex.createInsert("INSERT INTO models (name, framework, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")
                .params(name, framework, Rows.param(at)).execute() == 1;
    }

    public boolean exists(DbExecute ex, String name) {
        return ex.get("SELECT 1 AS ok FROM models WHERE name = ?", name).isPresent();
    }

    public Optional<ModelSummary> find(String name) {
        return db.execute().get(SUMMARY + " WHERE m.name = ?", name).map(this::summary);
    }

    /** A page of summaries ordered by name; {@code framework} (wire name) filters when not null. */
    public List<ModelSummary> list(String framework, long offset, int limit) {
        try (Stream<DbRow> rows = framework == null
                ? db.execute().query(SUMMARY + " ORDER BY m.name LIMIT ? OFFSET ?", limit, offset)
                : db.execute().query(SUMMARY + " WHERE m.framework = ? ORDER BY m.name LIMIT ? OFFSET ?", framework,
                limit, offset)) {
            return rows.map(this::summary).toList();
        }
    }

    public long count(String framework) {
        DbRow row = framework == null
                ? db.execute().get("SELECT count(*) AS n FROM models").orElseThrow()
                : db.execute().get("SELECT count(*) AS n FROM models WHERE framework = ?", framework).orElseThrow();
        return Rows.number(row, "n");
    }

    private ModelSummary summary(DbRow row) {
        String route = Rows.text(row, "live_route");
        String live = route == null ? null : liveVersion(Rows.fromJson(json, route, ModelRoute.class));
        return new ModelSummary(Rows.text(row, "name"), Rows.text(row, "framework"), Rows.text(row, "latest_version"),
                live, (int) Rows.number(row, "versions"), Rows.instant(row, "created_at"));
    }

    /** The version serving a route's stable traffic (the heaviest STABLE target), or null. */
    static String liveVersion(ModelRoute route) {
        return route.targets().stream()
                .filter(t -> t.role() == RouteTarget.Role.STABLE && t.weight() > 0)
                .max(Comparator.comparingInt(RouteTarget::weight))
                .map(RouteTarget::version)
                .orElse(null);
    }
}
