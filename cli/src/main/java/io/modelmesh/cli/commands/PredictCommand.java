package io.modelmesh.cli.commands;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.Prediction;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.config.NodeCache;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code mmctl predict NAME --input JSON}: one prediction (or a batch) from a data-plane node. */
@Command(name = "predict", sortOptions = false, header = "Send a prediction request to the data plane.",
        description = {"The JSON is sent as the request body. A bare row [5.1,3.5,1.4,0.2] or a bare feature map "
                + "{\"sepal_length\": 5.1, ...} is wrapped as {\"inputs\": ...}; with --batch, rows [[...],[...]] are "
                + "wrapped as {\"instances\": ...}. The node is one of --data-plane, else one of the control plane's live "
                + "nodes, which mmctl remembers: when the control plane is unreachable it predicts through the nodes "
                + "it last saw live and says so on stderr.", ""},
        footer = {"", "Examples:", "  mmctl predict iris --input '[5.1,3.5,1.4,0.2]'",
                "  mmctl predict iris -d '{\"inputs\": {\"sepal_length\": 5.1, \"sepal_width\": 3.5, "
                        + "\"petal_length\": 1.4, \"petal_width\": 0.2}}'",
                "  mmctl predict iris --batch -d @rows.json -o json"})
public final class PredictCommand extends ClientCommand {
    /** The nodes last seen live, per control plane, in mmctl's config directory. */
    static final String NODE_CACHE = "nodes.json";

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--version", paramLabel = "X.Y.Z", description = "Ask this version, or an alias "
            + "(@champion; default: the routed one).")
    String version;

    @Option(names = "--preview", description = "Try a registered version no route sends traffic to (needs --version "
            + "and a token with scope preview); kept out of splits, traffic statistics and canary analysis.")
    boolean preview;

    @Option(names = "--batch", description = "Send rows to /predict/NAME/batch; outputs hold one entry per row.")
    boolean batch;

    static final class Input {
        @Option(names = "--input", paramLabel = "JSON", description = "Request JSON, or @FILE, or @- for stdin.")
        String input;

        @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE", description = "Same as --input (curl style).")
        String data;

        String text() {
            return input != null ? input : data;
        }
    }

    @Override
    public Integer call() {
        String body = PredictBody.of(read(input.text()), batch);
        ModelMeshClient client = connection.dataPlanesNamed() ? client() : throughLiveNodes();
        if (preview && (version == null || batch)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), batch
                    ? "--preview sends one request to /predict/NAME; drop --batch"
                    : "--preview needs --version: the version (or @alias) to try");
        }
        Prediction p = batch ? client.predictBatch(name, version, body) : preview
                ? client.preview(name, version, body) : client.predict(name, version, body);
        printer().print(p, batch ? PredictCommand::batchTable : PredictCommand::table);
        return ExitCodes.OK;
    }

    /**
     * A client for the control plane's live nodes, which are remembered ({@link NodeCache}); when the control plane
     * cannot be asked, a client for the nodes last seen through it, saying so on stderr.
     */
    private ModelMeshClient throughLiveNodes() {
        ModelMeshClient client = client();
        NodeCache cache = new NodeCache(root().env().configDir().resolve(NODE_CACHE));
        List<URI> live;
        try {
            live = client.nodes().stream().filter(n -> n.state() == NodeState.LIVE)
                    .map(n -> URI.create(n.url())).toList();
        } catch (ModelMeshException.UnavailableException e) {
            NodeCache.Entry seen = cache.lastSeen(client.controlPlanes()).orElseThrow(() -> new CliException(
                    ExitCodes.UNAVAILABLE, io.modelmesh.cli.ServerMessages.forCli(e.getMessage())
                    + "; no nodes seen through it before: name one with --data-plane URL", e));
            printer().warn("the control plane is unreachable (" + io.modelmesh.cli.ServerMessages.forCli(
                    e.getMessage()) + "); predicting through the nodes last seen live at " + seen.seenAt() + ": "
                    + String.join(", ", seen.nodes()));
            return root().client(connection, seen.uris());
        }
        cache.remember(client.controlPlanes(), live, Instant.now());
        return live.isEmpty() ? client : root().client(connection, live);
    }

    /** {@code @FILE} reads the file, {@code @-} stdin, anything else is the JSON itself. */
    static String read(String arg) {
        if (!arg.startsWith("@")) {
            return arg;
        }
        String name = arg.substring(1);
        try {
            if (name.equals("-")) {
                InputStream in = System.in;
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(name));
        } catch (NoSuchFileException e) {
            throw CliException.invalidInput("input file not found: " + Path.of(name).toAbsolutePath());
        } catch (IOException e) {
            throw CliException.invalidInput("cannot read input " + name + ": " + e.getMessage());
        }
    }

    /** The prediction's identity, then one line per output. */
    public static List<Block> table(Prediction p) {
        Table.Builder t = Table.of("OUTPUT", "VALUE");
        if (p.outputs() != null) {
            p.outputs().forEach((k, v) -> t.row(k, Format.value(v)));
        }
        return List.of(header(p), t.build());
    }

    /** The prediction's identity, then one row per input row with a column per output. */
    public static List<Block> batchTable(Prediction p) {
        Map<String, Object> outputs = p.outputs() == null ? Map.of() : p.outputs();
        List<String> names = new ArrayList<>(outputs.keySet());
        int rows = 0;
        for (Object v : outputs.values()) {
            if (!(v instanceof List<?> l)) {
                return table(p); // not per-row: show as a plain prediction
            }
            rows = Math.max(rows, l.size());
        }
        List<String> headers = new ArrayList<>();
        headers.add("ROW");
        names.forEach(n -> headers.add(n.toUpperCase(java.util.Locale.ROOT)));
        Table.Builder t = Table.of(headers.toArray(String[]::new));
        for (int i = 0; i < rows; i++) {
            Object[] cells = new Object[names.size() + 1];
            cells[0] = i;
            for (int c = 0; c < names.size(); c++) {
                List<?> l = (List<?>) outputs.get(names.get(c));
                cells[c + 1] = i < l.size() ? Format.value(l.get(i)) : null;
            }
            t.row(cells);
        }
        return List.of(header(p), t.build());
    }

    private static Details header(Prediction p) {
        return Details.builder().add("model", p.model()).add("version", p.modelVersion())
                .add("request id", p.requestId()).add("cached", Format.yesNo(p.cached())).build();
    }
}
