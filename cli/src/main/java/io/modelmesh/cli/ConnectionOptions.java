package io.modelmesh.cli;

import io.modelmesh.cli.config.CliConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mixin: where the control plane and (optionally) the data-plane nodes are, and the token to send them. Each setting
 * comes from the first of: its option, the context named by {@code --context}, its environment variable, the current
 * context of the mmctl config ({@link CliConfig}), the default.
 */
public final class ConnectionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** More control planes than one cluster runs. */
    static final int MAX_CONTROL_PLANES = 16;
    static final String DEFAULT_CONTROL_PLANE = "http://127.0.0.1:8080";

    @Option(names = "--context", paramLabel = "NAME",
            description = "Use this context of the mmctl config (mmctl config get-contexts) instead of the current "
                    + "one; its settings beat the environment variables, options beat both.")
    String context;

    @Option(names = "--control-plane", paramLabel = "URL[,URL...]",
            description = "Control-plane URL, or several of one cluster separated by commas: a call that cannot reach "
                    + "one goes to the next (env MM_CONTROL_PLANE, else the context's; default: "
                    + DEFAULT_CONTROL_PLANE + ").")
    String controlPlaneOption;

    @Option(names = "--data-plane", paramLabel = "URL", split = ",",
            description = "Data-plane node URL(s) for predictions, comma-separated (env MM_DATA_PLANE; default: the "
                    + "control plane's live nodes).")
    List<String> dataPlaneUrls = new ArrayList<>();

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the token to send (default: the context's token file, env MM_TOKEN, else "
                    + "$MM_HOME/admin-token, which 'mmctl up' writes). Tokens are never given on the command line: "
                    + "anyone on the machine can read command lines.")
    Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM CA bundle that https servers (control plane, nodes) are verified with, instead of the "
                    + "JDK's trust store (env MM_TLS_CA, else the context's).")
    String tlsCaOption;

    private CliConfig config;

    private CliEnvironment env() {
        return ((MmCtl) spec.root().userObject()).env();
    }

    private CliConfig config() {
        if (config == null) {
            config = CliConfig.load(env());
        }
        return config;
    }

    /** The context named by --context (which must exist), else none. */
    private Optional<CliConfig.Context> chosen() {
        return context == null ? Optional.empty() : Optional.of(config().require(context));
    }

    /** The config's current context, when it names one that exists. */
    private Optional<CliConfig.Context> current() {
        CliConfig c = config();
        return c.currentContext() == null ? Optional.empty() : c.context(c.currentContext());
    }

    /** Option, --context, environment variable, current context: the first that has a value. */
    private Optional<String> setting(String option, Function<CliConfig.Context, String> ofContext, String envName) {
        if (option != null && !option.isBlank()) {
            return Optional.of(option);
        }
        Optional<String> fromChosen = chosen().map(ofContext).filter(v -> !v.isBlank());
        if (context != null) {
            return fromChosen;
        }
        String fromEnv = envName == null ? null : env().get(envName);
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        return current().map(ofContext).filter(v -> !v.isBlank());
    }

    /** The name of the context in use (--context, else the current one unless the environment overrides), or null. */
    public String contextName() {
        if (context != null) {
            return config().require(context).name();
        }
        return current().map(CliConfig.Context::name).orElse(null);
    }

    /** The control planes given, in order of preference. */
    public List<URI> controlPlanes() {
        String urls = setting(controlPlaneOption, CliConfig.Context::controlPlane, "MM_CONTROL_PLANE")
                .orElse(DEFAULT_CONTROL_PLANE);
        List<URI> parsed = Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty())
                .map(u -> httpUrl("--control-plane", u)).toList();
        if (parsed.isEmpty() || parsed.size() > MAX_CONTROL_PLANES) {
            throw new ParameterException(spec.commandLine(), "--control-plane takes 1 to " + MAX_CONTROL_PLANES
                    + " URLs separated by commas, got " + parsed.size());
        }
        return parsed;
    }

    /**
     * The {@code --token-file} given, else the context's token file; null leaves it to {@link TokenSource} (MM_TOKEN,
     * then $MM_HOME/admin-token). MM_TOKEN beats the current context's file, not a --context one's.
     */
    public Path tokenFile() {
        if (tokenFile != null) {
            return tokenFile;
        }
        Optional<String> f = setting(null, CliConfig.Context::tokenFile, TokenSource.ENV);
        if (f.isEmpty() || context == null && env().get(TokenSource.ENV) != null) {
            return null;
        }
        return Path.of(f.get());
    }

    /** The CA bundle to verify https servers with, or null for the JDK's trust store. */
    public Path tlsCa() {
        Optional<String> file = setting(tlsCaOption, CliConfig.Context::tlsCa, "MM_TLS_CA");
        if (file.isEmpty()) {
            return null;
        }
        Path p = Path.of(file.get().trim());
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ParameterException(spec.commandLine(), "--tls-ca " + file.get() + ": no such readable file");
        }
        return p;
    }

    /**
     * The --data-plane URLs (else the context's), validated; empty when none is given, which leaves it to the SDK
     * (MM_DATA_PLANE, else the control plane's live nodes).
     */
    public List<URI> dataPlanes() {
        List<String> urls = dataPlaneUrls;
        if (urls.stream().allMatch(String::isBlank)) {
            urls = setting(null, CliConfig.Context::dataPlane, "MM_DATA_PLANE")
                    .filter(v -> context != null || env().get("MM_DATA_PLANE") == null)
                    .map(v -> List.of(v.split(","))).orElse(List.of());
        }
        return urls.stream().filter(u -> !u.isBlank()).map(u -> httpUrl("--data-plane", u)).toList();
    }

    /** Whether nodes were named (option, context or MM_DATA_PLANE) rather than left to the control plane. */
    public boolean dataPlanesNamed() {
        return !dataPlanes().isEmpty() || env().get("MM_DATA_PLANE") != null;
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
