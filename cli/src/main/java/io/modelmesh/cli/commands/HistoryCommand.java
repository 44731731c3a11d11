package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.WatchOptions;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code mmctl history NAME}: every deployment revision of a model with author, time, change and traffic split. */
@Command(name = "history", header = "List a model's deployment revisions.",
        description = {"Every revision, oldest first, numbered 1, 2, 3... for each model: written by apply, deploy, "
                + "canary, shadow, ab, chaos, rollback or by the control plane itself (an automatic canary rollback). "
                + "Restore one with 'mmctl rollback NAME --to REV' (a chaos fault is never restored). '(fault)' "
                + "marks a fault only on the current revision while it is active.", ""})
public final class HistoryCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Mixin
    WatchOptions watch;

    @Override
    public Integer call() throws Exception {
        return watch.repeat(output.format(), root().env().stdoutTerminal(), this::once);
    }

    /** One look: what --watch repeats. */
    private Integer once() {
        List<DeploymentStatus> revisions = client().history(name);
        printer().print(revisions, HistoryCommand::table, HistoryCommand::wide);
        if (revisions.isEmpty()) {
            printer().note(name + " has never been deployed");
        }
        return ExitCodes.OK;
    }

    public static List<Block> table(List<DeploymentStatus> revisions) {
        return table(revisions, Instant.now());
    }

    /**
     * Oldest first, whatever order the control plane sent. A fault is marked only on the current (newest) revision
     * and only while active at {@code now}: an older revision's fault is not served any more (a rollback never
     * restores one), and an expired fault is not injected.
     */
    public static List<Block> table(List<DeploymentStatus> revisions, Instant now) {
        if (revisions.isEmpty()) {
            return List.of();
        }
        List<DeploymentStatus> oldestFirst = revisions.stream()
                .sorted(Comparator.comparingLong(DeploymentStatus::id)).toList();
        DeploymentStatus current = oldestFirst.getLast();
        Table.Builder t = Table.of("REVISION", "TIME", "AUTHOR", "STRATEGY", "CHANGE", "TRAFFIC");
        for (DeploymentStatus d : oldestFirst) {
            t.row(d.id(), Format.instant(d.createdAt()), d.createdBy(),
                    d.spec() == null ? null : d.spec().strategy().wireName(), d.change(),
                    traffic(d.route(), d == current ? now : null));
        }
        return List.of(t.build());
    }

    /** {@code -o wide}: also how many live nodes acknowledged each revision, and their errors. */
    public static List<Block> wide(List<DeploymentStatus> revisions) {
        if (revisions.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("REVISION", "TIME", "AUTHOR", "STRATEGY", "CHANGE", "TRAFFIC", "NODES", "ERRORS");
        for (DeploymentStatus d : revisions) {
            t.row(d.id(), Format.instant(d.createdAt()), d.createdBy(),
                    d.spec() == null ? null : d.spec().strategy().wireName(), d.change(), traffic(d.route()),
                    d.nodesAcked() + "/" + d.nodesTotal(), d.errors().isEmpty() ? null : String.join("; ", d.errors()));
        }
        return List.of(t.build());
    }

    /** {@code 1.0.0 95% · 1.1.0 5% canary}: each target with its share, roles other than stable named. */
    static String traffic(ModelRoute route) {
        return traffic(route, null);
    }

    /** The same, marking a fault active at {@code faultsAt} ({@code null}: marking none). */
    static String traffic(ModelRoute route, Instant faultsAt) {
        if (route == null || route.targets().isEmpty()) {
            return null;
        }
        return route.targets().stream().map(t -> target(t, faultsAt)).collect(Collectors.joining(" · "));
    }

    private static String target(RouteTarget t, Instant faultsAt) {
        String role = t.role() == null || t.role() == RouteTarget.Role.STABLE ? ""
                : " " + t.role().name().toLowerCase(Locale.ROOT);
        String fault = faultsAt != null && t.fault() != null && t.fault().activeAt(faultsAt) ? " (fault)" : "";
        return t.version() + " " + t.weight() + "%" + role + fault;
    }
}
