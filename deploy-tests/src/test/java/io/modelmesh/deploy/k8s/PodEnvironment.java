package io.modelmesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container of a rendered pod would see, as the kubelet makes it: its environment (literal values, ConfigMap
 * and Secret keys, the downward API), its arguments with {@code $(VAR)} references expanded, and the files of its
 * Secret volumes, written under a local directory (paths in the environment and arguments are moved there). Secrets
 * the overlay does not render (production's, which operators create) take the stand-in values {@link #EXTERNAL}
 * lists, so an overlay referring to any other missing Secret fails.
 */
final class PodEnvironment {
    /** What the downward API gives a pod, for the two fields the manifests use. */
    static final String POD_NAME = "modelmesh-dataplane-6d8f7b9c5d-x7k2p";
    static final String POD_IP = "10.244.1.17";

    /**
     * The Secrets and keys operators create for the production overlay (docs/deploy.md lists them), with stand-in
     * values of the right form.
     */
    static final Map<String, String> EXTERNAL = Map.of(
            "modelmesh-tokens/admin-token", "mmt_" + "A".repeat(43),
            "modelmesh-tokens/join-token", "mmt_" + "B".repeat(43),
            "modelmesh-database/password", "stand-in password",
            "modelmesh-redis/url", "redis://redis.databases.svc:6379/0",
            "modelmesh-metrics-token/token", "mmt_" + "C".repeat(43));

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private final Set<String> expanded = new LinkedHashSet<>();
    private final Set<String> externalSecrets = new LinkedHashSet<>();

    private PodEnvironment() {
    }

    /**
     * @param root where the container's Secret volumes are written (a fresh temporary directory)
     */
    static PodEnvironment of(Rendered r, PodSpec pod, Container c, Path root) {
        PodEnvironment e = new PodEnvironment();
        Map<String, String> moved = e.writeSecretVolumes(r, pod, c, root);
        for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.env.containsKey(v.getName())) {
                throw new AssertionError(c.getName() + " sets " + v.getName() + " twice");
            }
            e.env.put(v.getName(), relocate(e.value(r, c, v), moved));
        }
        if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) {
            throw new AssertionError(c.getName() + " uses envFrom: name each variable, so each can be checked against "
                    + "what the server reads");
        }
        for (String a : c.getArgs() == null ? List.<String>of() : c.getArgs()) {
            e.args.add(relocate(e.expand(a), moved));
        }
        return e;
    }

    Map<String, String> env() {
        return env;
    }

    String[] args() {
        return args.toArray(String[]::new);
    }

    /** Variables used by {@code $(NAME)} in the arguments. */
    Set<String> expanded() {
        return expanded;
    }

    /** {@code secret/key} of every Secret value taken from {@link #EXTERNAL}. */
    Set<String> externalSecrets() {
        return externalSecrets;
    }

    private String value(Rendered r, Container c, EnvVar v) {
        if (v.getValueFrom() == null) {
            return v.getValue() == null ? "" : v.getValue();
        }
        EnvVarSource from = v.getValueFrom();
        if (from.getConfigMapKeyRef() != null) {
            return r.configValue(from.getConfigMapKeyRef().getName(), from.getConfigMapKeyRef().getKey());
        }
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector s = from.getSecretKeyRef();
            return secret(r, s.getName(), s.getKey());
        }
        if (from.getFieldRef() != null) {
            return switch (from.getFieldRef().getFieldPath()) {
                case "metadata.name" -> POD_NAME;
                case "status.podIP" -> POD_IP;
                default -> throw new AssertionError(c.getName() + ": " + v.getName() + " reads the field "
                        + from.getFieldRef().getFieldPath() + ", which this check does not know");
            };
        }
        throw new AssertionError(c.getName() + ": " + v.getName() + " takes its value from a source this check does "
                + "not know");
    }

    private String secret(Rendered r, String name, String key) {
        return r.secretValue(name, key).orElseGet(() -> {
            String stand = EXTERNAL.get(name + "/" + key);
            if (stand == null) {
                throw new AssertionError(r.overlay() + " refers to Secret " + name + " key " + key + ", which it does "
                        + "not render and which is not one of the Secrets operators create (" + EXTERNAL.keySet()
                        + ")");
            }
            externalSecrets.add(name + "/" + key);
            return stand;
        });
    }

    /** Kubernetes' rule: {@code $(NAME)} becomes the variable's value when it is defined, else stays as it is. */
    private String expand(String arg) {
        Matcher m = REFERENCE.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = env.get(name);
            if (value == null) {
                throw new AssertionError("argument '" + arg + "' refers to $(" + name + "), which the container does "
                        + "not define: Kubernetes would pass it on as it is");
            }
            expanded.add(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Writes each Secret volume's items under {@code root}; answers mount path to local directory. */
    private Map<String, String> writeSecretVolumes(Rendered r, PodSpec pod, Container c, Path root) {
        Map<String, Volume> volumes = new HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        Map<String, String> moved = new LinkedHashMap<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = volumes.get(m.getName());
            if (v == null) {
                throw new AssertionError(c.getName() + " mounts " + m.getName() + ", which the pod does not define");
            }
            if (v.getSecret() == null) {
                continue;
            }
            if (v.getSecret().getItems() == null || v.getSecret().getItems().isEmpty()) {
                throw new AssertionError("Secret volume " + v.getName() + " should list its items, so the files a "
                        + "server reads are named here");
            }
            Path dir = root.resolve(m.getMountPath().substring(1));
            try {
                Files.createDirectories(dir);
                for (KeyToPath item : v.getSecret().getItems()) {
                    Path file = dir.resolve(item.getPath());
                    Files.writeString(file, secret(r, v.getSecret().getSecretName(), item.getKey()) + "\n");
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            moved.put(m.getMountPath(), dir.toString());
        }
        return moved;
    }

    private static String relocate(String value, Map<String, String> moved) {
        for (Map.Entry<String, String> e : moved.entrySet()) {
            if (value.equals(e.getKey()) || value.startsWith(e.getKey() + "/")) {
                return e.getValue() + value.substring(e.getKey().length());
            }
        }
        return value;
    }
}
