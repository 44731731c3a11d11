package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Objects;

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
        printer().print(versions, v -> table(v, summary.liveVersion()), v -> wide(v, summary.liveVersion()));
        return ExitCodes.OK;
    }

    /** "sklearn→pmml" for a converted version: what was uploaded and what nodes serve. */
    private static String framework(ModelVersion v) {
        return v.served() == null ? v.framework() : v.framework() + "->" + v.served().format();
    }

    /** @param live the live version, or null */
    public static List<Block> table(List<ModelVersion> versions, String live) {
        if (versions.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("VERSION", "LIVE", "STAGE", "FRAMEWORK", "SHA256", "SIZE", "INPUT", "OUTPUT",
                "PARENT", "CREATED", "BY");
        for (ModelVersion v : versions) {
            t.row(v.version(), Objects.equals(v.version(), live) ? Cell.good("*") : "",
                    v.stage() == null ? Cell.dim("-") : v.stage().wireName(), framework(v),
                    Format.shortSha(v.sha256()), Format.bytes(v.sizeBytes()), Format.inputs(v.schema()),
                    Format.outputs(v.schema()), v.parent(), Format.instant(v.createdAt()), v.createdBy());
        }
        return List.of(t.build());
    }

    /** {@code -o wide}: the whole SHA-256 and the metadata too. */
    public static List<Block> wide(List<ModelVersion> versions, String live) {
        if (versions.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("VERSION", "LIVE", "FRAMEWORK", "SHA256", "SIZE", "INPUT", "OUTPUT", "PARENT",
                "CREATED", "BY", "METADATA");
        for (ModelVersion v : versions) {
            t.row(v.version(), Objects.equals(v.version(), live) ? Cell.good("*") : "", framework(v), v.sha256(),
                    Format.bytes(v.sizeBytes()), Format.inputs(v.schema()), Format.outputs(v.schema()), v.parent(),
                    Format.instant(v.createdAt()), v.createdBy(), v.metadata() == null ? null
                            : new java.util.TreeMap<>(v.metadata()).toString());
        }
        return List.of(t.build());
    }
}
