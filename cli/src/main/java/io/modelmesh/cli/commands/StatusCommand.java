package io.modelmesh.cli.commands;

import io.modelmesh.api.RolloutState;
import com.fasterxml.jackson.core.type.TypeReference;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Page;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.VersionStats;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.WatchOptions;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Colors;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code mmctl status [NAME]}: the platform at a glance, or one model's deployment. */
@Command(name = "status", header = "Show the control plane, its nodes and what they serve (or one model's deployment).",
        description = {"Without NAME: control-plane health, every node with the routing revision it serves and its "
                + "state, and each model's live version and traffic split. With NAME: that model's deployment, its rollout (state, share, step, last verdict), per-version "
                + "traffic (requests, errors, p50/p99, recent window) and the revision every node serves. "
                + "Exits 5 when the control plane is not healthy.", ""})
public final class StatusCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model name.")
    String name;

    /**
     * {@code mmctl status -o json}.
     *
     * @param routingRevision the control plane's newest routing revision (null when it could not be read)
     * @param nodes           data-plane nodes as the control plane sees them
     * @param models          every registered model
     * @param routes          each deployed model's route (targets with weights)
     */
    public record Report(String controlPlane, Map<String, Object> health, Long routingRevision, List<NodeStatus> nodes,
                         List<ModelSummary> models, Map<String, ModelRoute> routes) {
        public boolean up() {
            return health != null && "UP".equals(health.get("status"));
        }
    }

    /**
     * {@code mmctl status NAME -o json}: the model, its current deployment (null when never deployed), the nodes with
     * the revision each serves, its latest rollout and per-version traffic (null when the control plane has none).
     */
    public record ModelReport(ModelSummary model, DeploymentStatus deployment, List<NodeStatus> nodes,
                              RolloutStatus rollout, TrafficStats traffic) {
        public ModelReport {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }

        public ModelReport(ModelSummary model, DeploymentStatus deployment) {
            this(model, deployment, List.of(), null, null);
        }
    }

    @Mixin
    WatchOptions watch;

    @Override
    public Integer call() throws Exception {
        return watch.repeat(output.format(), root().env().stdoutTerminal(), this::once);
    }

    /** One look: what --watch repeats. */
    private Integer once() {
        ModelMeshClient client = client();
        Printer printer = printer();
        if (name != null) {
            ModelSummary model = client.model(name);
            DeploymentStatus deployment = optional(() -> client.deployment(name));
            ModelReport report = deployment == null ? new ModelReport(model, null)
                    : new ModelReport(model, deployment, optional(client::nodes), optional(() -> client.rolloutOf(name)),
                    optional(() -> client.traffic(name)));
            printer.print(report, StatusCommand::modelTable);
            return ExitCodes.OK;
        }
        Map<String, Object> health = health(client);
        Report report;
        if (!"UP".equals(health.get("status"))) {
            report = new Report(client.controlPlane().toString(), health, null, List.of(), List.of(), Map.of());
            printer.print(report, StatusCommand::table);
            printer.warn("the control plane at " + client.controlPlane() + " is not healthy");
            return ExitCodes.UNAVAILABLE;
        }
        RoutingTable routing = client.routing();
        report = new Report(client.controlPlane().toString(), health, routing.revision(), client.nodes(),
                allModels(client), routing.models());
        printer.print(report, StatusCommand::table);
        return ExitCodes.OK;
    }

    /** The answer, or null when the control plane has none (404, or an older control plane without the endpoint). */
    private static <T> T optional(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ModelMeshException.NotFoundException e) {
            return null;
        } catch (ModelMeshException e) {
            if (e.status() == 405 || e.status() == 501) {
                return null;
            }
            throw e;
        }
    }

    /** The health document; a 503 (database down) is a DOWN document, not a failure to report it. */
    private static Map<String, Object> health(ModelMeshClient client) {
        try {
            return client.health();
        } catch (ModelMeshException.UnavailableException e) {
            if (e.status() != 503 || e.error().error() == null || !e.error().error().startsWith("http_")) {
                throw e; // unreachable: nothing to show
            }
            try {
                return Json.mapper().readValue(e.getMessage(), new TypeReference<Map<String, Object>>() { });
            } catch (java.io.IOException notJson) {
                Map<String, Object> down = new LinkedHashMap<>();
                down.put("status", "DOWN");
                down.put("detail", e.getMessage());
                return down;
            }
        }
    }

    private static List<ModelSummary> allModels(ModelMeshClient client) {
        List<ModelSummary> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<ModelSummary> p = client.listModels(page, 200, null);
            all.addAll(p.items());
            if (p.items().isEmpty() || all.size() >= p.total()) {
                return all;
            }
        }
    }

    public static List<Block> table(Report r) {
        List<Block> blocks = new ArrayList<>();
        String status = String.valueOf(r.health() == null ? null : r.health().get("status"));
        Details.Builder cp = Details.builder()
                .add("control plane", r.controlPlane())
                .add("status", "UP".equals(status) ? Cell.good(status) : Cell.bad(status));
        if (r.health() != null && r.health().get("checks") instanceof Map<?, ?> checks) {
            checks.forEach((k, v) -> cp.add(String.valueOf(k), "UP".equals(v) ? Cell.good("UP") : Cell.bad(String.valueOf(v))));
        }
        if (r.routingRevision() != null) {
            cp.add("routing revision", r.routingRevision());
        }
        blocks.add(cp.build());
        if (!r.nodes().isEmpty()) {
            Table.Builder t = Table.of("NODE", "URL", "STATE", "REVISION", "IN SYNC", "LAST SEEN");
            for (NodeStatus n : r.nodes()) {
                boolean synced = r.routingRevision() == null || n.servingRevision() >= r.routingRevision();
                t.row(n.nodeId(), n.url(), Cell.status(n.state().name()), n.servingRevision(),
                        synced ? "yes" : Cell.warn("behind"), Format.instant(n.lastSeen()));
            }
            blocks.add(t.build());
        } else if (r.up()) {
            blocks.add(Details.builder().add("nodes", Cell.warn("none registered (start one: mmctl up)")).build());
        }
        if (!r.models().isEmpty()) {
            Table.Builder t = Table.of("MODEL", "FRAMEWORK", "LIVE", "LATEST", "VERSIONS", "TRAFFIC");
            for (ModelSummary m : r.models()) {
                ModelRoute route = r.routes().get(m.name());
                t.row(m.name(), m.framework(), m.liveVersion() == null ? Cell.dim("-") : Cell.good(m.liveVersion()),
                        m.latestVersion(), m.versions(), route == null ? "-" : traffic(route));
            }
            blocks.add(t.build());
        }
        return blocks;
    }

    public static List<Block> modelTable(ModelReport r) {
        return modelTable(r, java.time.Instant.now());
    }

    /**
     * One model: what serves it now under its strategy (single version, canary, A/B arms, shadow), any fault active at
     * {@code now} with its expiry, and the latest rollout only when it belongs to the current strategy (running, or
     * the canary that made the current split) — not an old rollout an A/B split or a later deploy replaced.
     */
    public static List<Block> modelTable(ModelReport r, java.time.Instant now) {
        ModelSummary m = r.model();
        DeploymentStatus d = r.deployment();
        Details.Builder b = Details.builder()
                .add("model", m.name())
                .add("framework", m.framework())
                .add("live", live(m, d))
                .add("latest", m.latestVersion())
                .add("versions", m.versions());
        if (d == null) {
            b.add("deployment", Cell.dim("none (put a version live: mmctl deploy " + m.name() + " --version X.Y.Z)"));
            return List.of(b.build());
        }
        b.add("revision", d.id())
                .add("strategy", strategy(d.route()))
                .add("targets", d.route() == null ? null : DeployCommand.targets(d.route().targets()));
        List<String> faults = faults(d.route(), now);
        if (!faults.isEmpty()) {
            b.add("fault", Cell.bad(String.join("\n", faults)));
        }
        b.add("acks", DeployCommand.acks(d))
                .add("change", d.change())
                .add("deployed", Format.instant(d.createdAt()) + (d.createdBy() == null ? "" : " by " + d.createdBy()));
        if (!d.errors().isEmpty()) {
            b.add("errors", Cell.bad(String.join("\n", d.errors())));
        }
        RolloutStatus ro = r.rollout();
        if (ro != null && belongsToCurrent(ro, d)) {
            b.add("rollout", new Cell(ro.id() + " " + ro.state() + (ro.paused() ? " (paused)" : "") + ": "
                    + ro.canaryVersion() + " at " + ro.percent() + "%" + CanaryCommand.step(ro),
                    Colors.toneOf(ro.state().name())));
            b.add("rollout reason", ro.reason());
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(b.build());
        if (r.traffic() != null && !r.traffic().versions().isEmpty()) {
            blocks.add(trafficTable(r.traffic()));
        }
        if (!r.nodes().isEmpty()) {
            blocks.add(nodesTable(r.nodes(), d.servedFrom()));
        }
        return blocks;
    }

    /** The versions answering users now: the stable one, or every A/B arm; "-" when none. */
    static Object live(ModelSummary m, DeploymentStatus d) {
        if (d == null || d.route() == null) {
            return m.liveVersion() == null ? Cell.dim("-") : Cell.good(m.liveVersion());
        }
        List<RouteTarget> arms = d.route().targets().stream()
                .filter(t -> t.role() == RouteTarget.Role.ARM && t.weight() > 0).toList();
        if (!arms.isEmpty()) {
            return Cell.good(arms.stream().map(RouteTarget::version).collect(Collectors.joining(", "))
                    + " (A/B arms)");
        }
        return d.route().targets().stream().filter(t -> t.role() == RouteTarget.Role.STABLE && t.weight() > 0)
                .max(java.util.Comparator.comparingInt(RouteTarget::weight))
                .<Object>map(t -> Cell.good(t.version())).orElse(Cell.dim("-"));
    }

    /** {@code canary}, {@code A/B split (sticky key X-User-Id)}, {@code shadow}, {@code single version}, ... */
    static String strategy(ModelRoute route) {
        if (route == null || route.targets().isEmpty()) {
            return "none (undeployed: no version serves traffic)";
        }
        List<RouteTarget> t = route.targets();
        if (t.stream().anyMatch(x -> x.role() == RouteTarget.Role.ARM)) {
            return "A/B split (sticky key " + (route.stickyKey() == null ? "X-User-Id" : route.stickyKey()) + ")";
        }
        boolean canary = t.stream().anyMatch(x -> x.role() == RouteTarget.Role.CANARY && x.weight() > 0);
        boolean shadow = t.stream().anyMatch(x -> x.role() == RouteTarget.Role.SHADOW);
        return canary && shadow ? "canary, with a shadow" : canary ? "canary" : shadow ? "shadow (users get the "
                + "stable answer)" : "single version";
    }

    /** Each fault in force at {@code now}: {@code 1.1.0: 50% errors, +200 ms, until T (29 s left)}. */
    static List<String> faults(ModelRoute route, java.time.Instant now) {
        if (route == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (RouteTarget t : route.targets()) {
            io.modelmesh.api.Fault f = t.fault();
            if (f == null || !f.activeAt(now)) {
                continue;
            }
            String until = f.until() == null ? "until cleared (mmctl chaos " + route.model() + " --version "
                    + t.version() + " --clear)" : "until " + Format.instant(f.until()) + " ("
                    + java.time.Duration.between(now, f.until()).toSeconds() + " s left)";
            lines.add(t.version() + ": " + CanaryCommand.number(f.errorRate() * 100) + "% errors"
                    + (f.latencyMs() == 0 ? "" : ", +" + f.latencyMs() + " ms") + ", " + until);
        }
        return lines;
    }

    /**
     * Whether the rollout is part of what serves now: it runs, or the current spec is still its canary (the split its
     * promotion, rollback or abort left, or a chaos drill written after it ended). A rollout replaced by another
     * strategy (an A/B split, a deploy) is not shown.
     */
    static boolean belongsToCurrent(RolloutStatus ro, DeploymentStatus d) {
        if (ro.state() == RolloutState.RUNNING) {
            return true;
        }
        if (d.spec() == null) {
            return ro.revision() >= d.servedFrom();
        }
        return d.spec().strategy() == io.modelmesh.api.DeploymentSpec.Strategy.CANARY && d.spec().canary() != null
                && ro.canaryVersion().equals(d.spec().canary().version()) && !ro.startedAt().isAfter(d.createdAt());
    }

    /** {@code stable}, {@code canary}, {@code A/B arm}, {@code shadow}. */
    static String roleName(RouteTarget.Role role) {
        return role == RouteTarget.Role.ARM ? "A/B arm" : role.name().toLowerCase(Locale.ROOT);
    }

    /** Per version: role, share, requests, errors and latency since the strategy started, then the recent window. */
    static Table trafficTable(TrafficStats s) {
        Table.Builder t = Table.of("VERSION", "ROLE", "WEIGHT", "REQUESTS", "ERRORS", "ERR%", "P50", "P99",
                "RECENT (" + s.recentSeconds() + "s)");
        for (VersionStats v : s.versions()) {
            t.row(v.version(), v.role() == null ? Cell.dim("unrouted") : v.role().name().toLowerCase(Locale.ROOT),
                    v.weight() == null ? null : v.weight() + "%", v.requests(), v.errors(),
                    v.errors() == 0 ? "0%" : Cell.bad(CanaryCommand.percent(v.errorRate())), ms(v.p50Ms()),
                    ms(v.p99Ms()), v.recentRequests() + " req, " + v.recentErrors() + " err"
                            + (v.recentP99Ms() == null ? "" : ", p99 " + ms(v.recentP99Ms())));
        }
        return t.build();
    }

    /**
     * Per node: the routing revision it serves and whether that includes this model's current revision (the routing
     * revision {@code servedFrom} that revision created).
     */
    static Table nodesTable(List<NodeStatus> nodes, long servedFrom) {
        Table.Builder t = Table.of("NODE", "STATE", "REVISION", "CURRENT");
        for (NodeStatus n : nodes) {
            t.row(n.nodeId(), Cell.status(n.state().name()), n.servingRevision(),
                    n.servingRevision() >= servedFrom ? "yes" : Cell.warn("behind"));
        }
        return t.build();
    }

    private static String ms(Double v) {
        return v == null ? null : CanaryCommand.number(v) + " ms";
    }

    private static String traffic(ModelRoute route) {
        return route.targets().stream().map(t -> t.version() + "=" + t.weight() + "%").collect(Collectors.joining(" "));
    }
}
