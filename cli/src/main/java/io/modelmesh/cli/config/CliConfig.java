package io.modelmesh.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.CliException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * mmctl's contexts, kept in {@code ~/.config/mmctl/config.yaml} ({@code $XDG_CONFIG_HOME/mmctl/config.yaml};
 * {@code MMCTL_CONFIG} names another file), like kubectl's kubeconfig: each context names a control plane and the
 * file holding its token (never the token itself), and one of them is current.
 *
 * @param currentContext the context commands use when no {@code --context} is given, or null
 * @param contexts       the contexts, in the order they were added
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CliConfig(@JsonProperty("current-context") String currentContext,
                        @JsonProperty("contexts") List<Context> contexts) {
    /** At most this many contexts, and this many bytes of config file, are read. */
    public static final int MAX_CONTEXTS = 256;
    static final long MAX_BYTES = 1 << 20;

    public CliConfig {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    /**
     * One place mmctl talks to.
     *
     * @param name         the context's name
     * @param controlPlane control-plane URL(s), comma-separated as {@code --control-plane} takes them
     * @param tokenFile    file holding the token, or null
     * @param dataPlane    data-plane URL(s) for predictions, or null
     * @param tlsCa        PEM CA bundle https servers are verified with, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Context(@JsonProperty("name") String name,
                          @JsonProperty("control-plane") String controlPlane,
                          @JsonProperty("token-file") String tokenFile,
                          @JsonProperty("data-plane") String dataPlane,
                          @JsonProperty("tls-ca") String tlsCa) {
    }

    /** Made on first use (a holder class), so a command run without a config file never loads the YAML stack. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR).build())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public static CliConfig empty() {
        return new CliConfig(null, List.of());
    }

    /** {@code MMCTL_CONFIG}, else {@code $XDG_CONFIG_HOME/mmctl/config.yaml}, else {@code ~/.config/mmctl/...}. */
    public static Path file(CliEnvironment env) {
        String explicit = env.get("MMCTL_CONFIG");
        return explicit != null ? Path.of(explicit) : env.configDir().resolve("config.yaml");
    }

    /** The config in {@link #file}, or an empty one when there is no such file. */
    public static CliConfig load(CliEnvironment env) {
        Path f = file(env);
        if (!Files.exists(f)) {
            return empty();
        }
        try {
            if (Files.size(f) > MAX_BYTES) {
                throw CliException.invalidInput("the mmctl config " + f + " is over " + MAX_BYTES + " bytes");
            }
            String text = Files.readString(f, StandardCharsets.UTF_8);
            CliConfig c = text.isBlank() ? empty() : Yaml.MAPPER.readValue(text, CliConfig.class);
            if (c == null) {
                return empty();
            }
            if (c.contexts().size() > MAX_CONTEXTS) {
                throw CliException.invalidInput("the mmctl config " + f + " has " + c.contexts().size()
                        + " contexts; at most " + MAX_CONTEXTS);
            }
            return c;
        } catch (JsonProcessingException e) {
            throw CliException.invalidInput("the mmctl config " + f + " is not valid: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + " (fix or remove it; "
                    + "mmctl config set-context writes it)");
        } catch (IOException e) {
            throw CliException.invalidInput("cannot read the mmctl config " + f + ": " + e.getMessage());
        }
    }

    /** Writes the config to {@link #file} (readable by its owner only), replacing it atomically. */
    public void save(CliEnvironment env) {
        Path f = file(env).toAbsolutePath();
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, Yaml.MAPPER.writeValueAsString(this), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's defaults apply
            }
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.failure("cannot write the mmctl config " + f + ": " + e.getMessage());
        }
    }

    public Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The named context; a usage error naming the known ones when there is none. */
    public Context require(String name) {
        return context(name).orElseThrow(() -> CliException.invalidInput("no context '" + name + "' in "
                + "the mmctl config" + (contexts.isEmpty() ? "; add one with mmctl config set-context " + name
                + " --control-plane URL" : " (contexts: " + String.join(", ", names()) + "; mmctl config "
                + "get-contexts lists them)")));
    }

    public List<String> names() {
        return contexts.stream().map(Context::name).toList();
    }

    /** This config with the context added, or replacing the one of the same name in place. */
    public CliConfig with(Context context) {
        List<Context> out = new ArrayList<>(contexts);
        int i = names().indexOf(context.name());
        if (i >= 0) {
            out.set(i, context);
        } else {
            if (out.size() >= MAX_CONTEXTS) {
                throw CliException.invalidInput("the mmctl config holds " + MAX_CONTEXTS
                        + " contexts already; delete one with mmctl config delete-context NAME");
            }
            out.add(context);
        }
        return new CliConfig(currentContext, out);
    }

    public CliConfig without(String name) {
        return new CliConfig(name.equals(currentContext) ? null : currentContext,
                contexts.stream().filter(c -> !c.name().equals(name)).toList());
    }

    public CliConfig withCurrent(String name) {
        return new CliConfig(name, contexts);
    }
}
