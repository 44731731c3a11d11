package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code mmctl versions NAME}: every version of a model, oldest first, the live one marked. */
@Command(name = "versions", header = "List the versions of a model.",
        description = {"In semantic-version order, with checksum, size, schema (input features or tensors; outputs "
                + "with class names), lineage and which one is live. -o json prints the full version records "
                + "(schema, converter and metadata included).", ""})
public final class VersionsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Override
    public Integer call() {
        ModelMeshClient client = client();
        List<ModelVersion> versions = client.versions(name);
        ModelSummary summary = client.model(name);
        Set<String> live = live(client, summary);
        printer().print(versions, v -> table(v, live), v -> wide(v, live));
        return ExitCodes.OK;
    }

    /**
     * The versions taking live traffic: the model's live version, or under an A/B split (which has no single live
     * version) every arm, as status and register say.
     */
    private Set<String> live(ModelMeshClient client, ModelSummary summary) {
        if (summary.liveVersion() != null) {
            return Set.of(summary.liveVersion());
        }
        try {
            var route = client.deployment(name).route();
            return route == null ? Set.of() : route.targets().stream()
                    .filter(t -> t.role() == RouteTarget.Role.ARM && t.weight() > 0)
                    .map(RouteTarget::version).collect(Collectors.toSet());
        } catch (ModelMeshException.NotFoundException e) {
            return Set.of(); // never deployed
        }
    }

    /** "sklearn→pmml" for a converted version: what was uploaded and what nodes serve. */
    private static String framework(ModelVersion v) {
        return v.served() == null ? v.framework() : v.framework() + "->" + v.served().format();
    }

    /** @param live the live version, or null */
    public static List<Block> table(List<ModelVersion> versions, String live) {
        return table(versions, live == null ? Set.of() : Set.of(live));
    }

    /** @param live the versions taking live traffic (the live one, or the arms of an A/B split) */
    public static List<Block> table(List<ModelVersion> versions, Set<String> live) {
        if (versions.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("VERSION", "LIVE", "STAGE", "FRAMEWORK", "SHA256", "SIZE", "INPUT", "OUTPUT",
                "PARENT", "CREATED", "BY");
        for (ModelVersion v : versions) {
            t.row(v.version(), live.contains(v.version()) ? Cell.good("*") : "",
                    v.stage() == null ? Cell.dim("-") : v.stage().wireName(), framework(v),
                    Format.shortSha(v.sha256()), Format.bytes(v.sizeBytes()), Format.inputs(v.schema()),
                    Format.outputs(v.schema()), v.parent(), Format.instant(v.createdAt()), v.createdBy());
        }
        return List.of(t.build());
    }

    /** {@code -o wide}: the whole SHA-256 and the metadata too. */
    public static List<Block> wide(List<ModelVersion> versions, Set<String> live) {
        if (versions.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("VERSION", "LIVE", "FRAMEWORK", "SHA256", "SIZE", "INPUT", "OUTPUT", "PARENT",
                "CREATED", "BY", "METADATA");
        for (ModelVersion v : versions) {
            t.row(v.version(), live.contains(v.version()) ? Cell.good("*") : "", framework(v), v.sha256(),
                    Format.bytes(v.sizeBytes()), Format.inputs(v.schema()), Format.outputs(v.schema()), v.parent(),
                    Format.instant(v.createdAt()), v.createdBy(), v.metadata() == null ? null
                            : new java.util.TreeMap<>(v.metadata()).toString());
        }
        return List.of(t.build());
    }
}
