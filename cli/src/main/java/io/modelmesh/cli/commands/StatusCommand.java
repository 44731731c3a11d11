package io.modelmesh.cli.commands;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Page;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code mmctl status [NAME]}: the platform at a glance, or one model's deployment. */
@Command(name = "status", header = "Show the control plane, its nodes and what they serve (or one model's deployment).",
        description = {"Without NAME: control-plane health, every node with the routing revision it serves and its "
                + "state, and each model's live version and traffic split. With NAME: that model's deployment. "
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

    /** {@code mmctl status NAME -o json}: the model and its current deployment (null when never deployed). */
    public record ModelReport(ModelSummary model, DeploymentStatus deployment) {
    }

    @Override
    public Integer call() {
        ModelMeshClient client = client();
        Printer printer = printer();
        if (name != null) {
            ModelSummary model = client.model(name);
            DeploymentStatus deployment;
            try {
                deployment = client.deployment(name);
            } catch (ModelMeshException.NotFoundException e) {
                deployment = null;
            }
            printer.print(new ModelReport(model, deployment), StatusCommand::modelTable);
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
                boolean live = "LIVE".equals(n.state());
                boolean synced = r.routingRevision() == null || n.servingRevision() >= r.routingRevision();
                t.row(n.nodeId(), n.url(), live ? Cell.good(n.state()) : Cell.bad(n.state()), n.servingRevision(),
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
        ModelSummary m = r.model();
        Details.Builder b = Details.builder()
                .add("model", m.name())
                .add("framework", m.framework())
                .add("live", m.liveVersion() == null ? Cell.dim("-") : Cell.good(m.liveVersion()))
                .add("latest", m.latestVersion())
                .add("versions", m.versions());
        DeploymentStatus d = r.deployment();
        if (d == null) {
            b.add("deployment", Cell.dim("none (put a version live: mmctl deploy " + m.name() + " --version X.Y.Z)"));
            return List.of(b.build());
        }
        b.add("revision", d.id())
                .add("targets", d.route() == null ? null : DeployCommand.targets(d.route().targets()))
                .add("acks", DeployCommand.acks(d))
                .add("change", d.change())
                .add("deployed", Format.instant(d.createdAt()) + (d.createdBy() == null ? "" : " by " + d.createdBy()));
        if (!d.errors().isEmpty()) {
            b.add("errors", Cell.bad(String.join("\n", d.errors())));
        }
        return List.of(b.build());
    }

    private static String traffic(ModelRoute route) {
        return route.targets().stream().map(t -> t.version() + "=" + t.weight() + "%").collect(Collectors.joining(" "));
    }
}
