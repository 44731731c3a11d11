package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FrameworkOption;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.ProgressBar;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code mmctl register NAME --file F}: uploads an artifact as a new, immutable version. */
@Command(name = "register", sortOptions = false,
        header = "Register a model artifact as a new version.",
        description = {"Uploads FILE (streamed) to the control plane, which validates it by loading it once and reads its "
                + "input/output schema. Versions are immutable: registering an existing version with the same bytes "
                + "changes nothing but what --meta and --features add (and says so), with other bytes it is a "
                + "conflict (exit 4). A new version whose file names no features takes the previous version's when "
                + "its input width matches. The first version of a new model goes live at 100%%.",
                ""},
        footer = {"", "Example:", "  mmctl register iris --file iris.onnx --features sepal_length,sepal_width,"
                + "petal_length,petal_width --meta owner=ml-team"})
public final class RegisterCommand extends ClientCommand {
    static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");


    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The model artifact.")
    Path file;

    @Option(names = "--framework", paramLabel = "FRAMEWORK", converter = FrameworkOption.Converter.class,
            completionCandidates = FrameworkOption.Candidates.class,
            description = "One of ${COMPLETION-CANDIDATES} (default: detected from the file).")
    Framework framework;

    @Option(names = "--version", paramLabel = "X.Y.Z",
            description = "Semantic version (default: the next one after the latest).")
    String version;

    @Option(names = "--features", paramLabel = "NAME", split = ",",
            description = "Names of the input columns, in order (lets predictions send {\"feature\": value}).")
    List<String> features = new ArrayList<>();

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata to store with the version (repeatable).")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--no-deploy", description = "Do not put the first version of a new model live.")
    boolean noDeploy;

    @Option(names = "--reference", paramLabel = "FILE",
            description = "Drift reference stored with the version: CSV with a header naming every feature, or JSON "
                    + "rows (at least 500 rows, at most 8 MiB). Default: the first rows the version serves.")
    Path reference;

    @Override
    public Integer call() {
        checkFile(file);
        if (reference != null) {
            checkFile(reference, "reference file");
        }
        if (version != null && !SEMVER.matcher(version).matches()) {
            throw CliException.invalidInput("invalid --version '" + version + "': expected a semantic version like 1.2.0");
        }
        Registration r = Registration.of(name, file).withFramework(framework).withVersion(version)
                .withFeatures(features).withMetadata(metadata).withDeploy(!noDeploy).withReference(reference);
        RegistrationResult result;
        try (ProgressBar bar = progressBar()) {
            result = client().register(r, bar);
        }
        if (result.deployment() == null) {
            result = new RegistrationResult(result.version(), result.created(), servingDeployment(result.version()),
                    result.featuresFrom(), result.updated());
        }
        Printer printer = printer();
        printer.print(result, RegisterCommand::table);
        DeploymentStatus d = result.deployment();
        if (d != null && d.nodesAcked() < d.nodesTotal()) {
            printer.warn("only " + d.nodesAcked() + " of " + d.nodesTotal() + " nodes acknowledged: "
                    + String.join("; ", d.errors()));
        }
        return ExitCodes.OK;
    }

    /** A progress bar on stderr for a person at a terminal; none (null) when output goes to a pipe or file. */
    private ProgressBar progressBar() {
        if (!root().env().stdoutTerminal()) {
            return null;
        }
        try {
            return new ProgressBar(spec.commandLine().getErr(), file.getFileName().toString(), Files.size(file),
                    System::nanoTime);
        } catch (java.io.IOException e) {
            return null; // no size, no bar: the upload itself reports the error
        }
    }

    /** Fails with exit 2 and a plain message before anything is uploaded. */
    static void checkFile(Path file) {
        checkFile(file, "model file");
    }

    static void checkFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw CliException.invalidInput(what + " not found: " + file.toAbsolutePath());
        }
        if (Files.isDirectory(file)) {
            throw CliException.invalidInput(what + " is a directory: " + file.toAbsolutePath());
        }
        if (!Files.isReadable(file)) {
            throw CliException.invalidInput(what + " is not readable: " + file.toAbsolutePath());
        }
    }

    /** Version, checksum, size, framework, schema, and whether (and where) it is live. */
    public static List<Block> table(RegistrationResult r) {
        ModelVersion v = r.version();
        Details.Builder d = Details.builder()
                .add("model", v.model())
                .add("version", v.version() + (r.created() ? "" : r.updated().isEmpty()
                        ? " (already registered with the same bytes; nothing to update)"
                        : " (already registered with the same bytes; updated " + String.join(" and ", r.updated())
                        + ")"))
                .add("framework", v.framework())
                .add("sha256", v.sha256())
                .add("size", Format.bytes(v.sizeBytes()) + (v.sizeBytes() >= 1024 ? " (" + v.sizeBytes() + " bytes)" : ""));
        if (v.served() != null) {
            d.add("served as", v.served().format() + " " + v.served().sha256() + " (" + Format.bytes(v.served().sizeBytes())
                    + ", converted by " + v.served().converter() + "; the pickle is never executed)");
        }
        if (v.schema() != null) {
            d.add("inputs", Format.tensors(v.schema().inputs()))
                    .add("outputs", Format.tensors(v.schema().outputs()));
            if (!v.schema().features().isEmpty()) {
                d.add("features", String.join(",", v.schema().features()) + (r.featuresFrom() == null ? ""
                        : " (from " + r.featuresFrom() + ": the file names none and its input width matches)"));
            }
        }
        if (!v.metadata().isEmpty()) {
            d.add("metadata", String.join("\n", v.metadata().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (v.stage() != null) {
            d.add("stage", v.stage().wireName());
        }
        d.add("live", live(v, r.deployment()));
        return List.of(d.build());
    }

    /**
     * The model's current deployment when it routes {@code v} (a version registered again while it serves as an A/B
     * arm, a canary or a shadow), so "live" says what serves it; null when it does not or the model has none.
     */
    private DeploymentStatus servingDeployment(ModelVersion v) {
        try {
            DeploymentStatus d = client().deployment(v.model());
            return target(v, d) == null ? null : d;
        } catch (ModelMeshException.NotFoundException e) {
            return null;
        }
    }

    private static RouteTarget target(ModelVersion v, DeploymentStatus d) {
        if (d == null || d.route() == null) {
            return null;
        }
        return d.route().targets().stream().filter(t -> t.version().equals(v.version())
                && (t.weight() > 0 || t.role() == RouteTarget.Role.SHADOW)).findFirst().orElse(null);
    }

    private static Object live(ModelVersion v, DeploymentStatus d) {
        RouteTarget t = target(v, d);
        if (t == null) {
            return Cell.dim("no (put it live: mmctl deploy " + v.model() + " --version " + v.version() + ")");
        }
        String role = t.role() == null || t.role() == RouteTarget.Role.STABLE ? (t.weight() == 100 ? "" : "stable at "
                + t.weight() + "%, ") : t.role() == RouteTarget.Role.SHADOW ? "shadow (mirrored, answers no user), "
                : StatusCommand.roleName(t.role()) + " at " + t.weight() + "%, ";
        String text = "yes, " + role + "revision " + d.id() + ", on " + d.nodesAcked() + "/" + d.nodesTotal()
                + " nodes";
        if (d.nodesTotal() == 0) {
            return Cell.warn(text + " (no data-plane node is running; start one: mmctl up)");
        }
        return d.nodesAcked() == d.nodesTotal() ? Cell.good(text) : Cell.warn(text);
    }
}
