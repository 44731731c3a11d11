package io.modelmesh.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mixin: where the control plane and (optionally) the data-plane nodes are, and the token to send them. */
public final class ConnectionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** More control planes than one cluster runs. */
    static final int MAX_CONTROL_PLANES = 16;

    private List<URI> controlPlanes = List.of(URI.create("http://127.0.0.1:8080"));

    @Option(names = "--control-plane", paramLabel = "URL[,URL...]",
            defaultValue = "${env:MM_CONTROL_PLANE:-http://127.0.0.1:8080}",
            description = "Control-plane URL, or several of one cluster separated by commas: a call that cannot reach "
                    + "one goes to the next (env MM_CONTROL_PLANE; default: ${DEFAULT-VALUE}).")
    void controlPlane(String urls) {
        List<URI> parsed = java.util.Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty())
                .map(u -> httpUrl("--control-plane", u)).toList();
        if (parsed.isEmpty() || parsed.size() > MAX_CONTROL_PLANES) {
            throw new ParameterException(spec.commandLine(), "--control-plane takes 1 to " + MAX_CONTROL_PLANES
                    + " URLs separated by commas, got " + parsed.size());
        }
        this.controlPlanes = parsed;
    }

    @Option(names = "--data-plane", paramLabel = "URL", split = ",",
            description = "Data-plane node URL(s) for predictions, comma-separated (env MM_DATA_PLANE; default: the "
                    + "control plane's live nodes).")
    List<String> dataPlaneUrls = new ArrayList<>();

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the token to send (default: env MM_TOKEN, else $MM_HOME/admin-token, which "
                    + "'mmctl up' writes). Tokens are never given on the command line: anyone on the machine can read "
                    + "command lines.")
    Path tokenFile;

    private Path tlsCa;


    @Option(names = "--tls-ca", paramLabel = "FILE", defaultValue = "${env:MM_TLS_CA}",
            description = "PEM CA bundle that https servers (control plane, nodes) are verified with, instead of the "
                    + "JDK's trust store (env MM_TLS_CA).")
    void tlsCa(String file) {
        if (file == null || file.isBlank()) {
            this.tlsCa = null;
            return;
        }
        Path p = Path.of(file.trim());
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ParameterException(spec.commandLine(), "--tls-ca " + file + ": no such readable file");
        }
        this.tlsCa = p;
    }

    /** The control planes given, in order of preference. */
    public List<URI> controlPlanes() {
        return controlPlanes;
    }

    /** The {@code --token-file} given, or null. */
    public Path tokenFile() {
        return tokenFile;
    }

    /** The CA bundle to verify https servers with, or null for the JDK's trust store. */
    public Path tlsCa() {
        return tlsCa;
    }

    /** The --data-plane URLs, validated; empty when not given. */
    public List<URI> dataPlanes() {
        return dataPlaneUrls.stream().filter(u -> !u.isBlank()).map(u -> httpUrl("--data-plane", u)).toList();
    }

    private URI httpUrl(String option, String value) {
        String v = value.trim();
        try {
            URI u = new URI(v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(),
                "invalid " + option + " '" + value + "': expected an http(s) URL like http://127.0.0.1:8080");
    }
}
