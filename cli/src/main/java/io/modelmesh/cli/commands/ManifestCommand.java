package io.modelmesh.cli.commands;

import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/** What {@code apply} and {@code diff} share: the {@code -f} sources, the request, printing validation problems. */
abstract class ManifestCommand extends ClientCommand {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "A manifest file (may hold several YAML documents), a directory (its *.yaml and *.yml, "
                    + "sorted) or - for stdin. Repeatable.")
    List<String> sources;

    /** Where {@code -f -} reads from; tests replace it. */
    Supplier<InputStream> stdin = () -> System.in;

    /**
     * Sends the manifests; on a validation failure with details, prints {@code file:line:column: field: message} lines
     * on stderr and returns null (exit {@link ExitCodes#INVALID_INPUT}).
     */
    ApplyResult send(boolean dryRun) {
        ApplyRequest req = new ApplyRequest(ManifestSources.read(sources, stdin), dryRun);
        try {
            return client().apply(req);
        } catch (ModelMeshException.InvalidRequestException e) {
            if (e.details().isEmpty()) {
                throw e;
            }
            PrintWriter err = spec.commandLine().getErr();
            e.details().forEach(d -> err.println(problem(d)));
            err.flush();
            return null;
        }
    }

    /** {@code iris.yaml:7:12: spec.canary.steps[2]: steps must increase}; parts the server did not give are left out. */
    static String problem(ErrorDetail d) {
        StringBuilder sb = new StringBuilder();
        if (d.file() != null) {
            sb.append(d.file());
            if (d.line() != null) {
                sb.append(':').append(d.line());
                if (d.column() != null) {
                    sb.append(':').append(d.column());
                }
            }
            sb.append(": ");
        }
        if (d.field() != null && !d.field().isBlank()) {
            sb.append(d.field()).append(": ");
        }
        return sb.append(io.modelmesh.cli.ServerMessages.forCli(d.message())).toString();
    }
}
