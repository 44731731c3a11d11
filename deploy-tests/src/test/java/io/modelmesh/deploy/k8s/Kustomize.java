package io.modelmesh.deploy.k8s;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Renders a kustomization with {@code kubectl kustomize}, as {@code kubectl apply -k} would, into YAML documents. */
final class Kustomize {
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The repository's top directory: the first parent of the working directory holding {@code k8s/base}. */
    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("k8s/base/kustomization.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no k8s/base/kustomization.yaml above " + dir);
    }

    /**
     * {@code kubectl} from {@code KUBECTL} or the PATH; when there is none the calling test is skipped (not failed),
     * saying so: the overlays are then not checked on this machine.
     */
    static Path kubectl() {
        Optional<Path> found = find(System.getenv());
        assumeTrue(found.isPresent(), MISSING);
        return found.get();
    }

    static final String MISSING = "kubectl is not installed (not on PATH, KUBECTL unset): the k8s/ overlays are not "
            + "rendered or checked on this machine. Install kubectl (it bundles kustomize) to run these tests";

    /** The executable {@code KUBECTL} names, else the first {@code kubectl} on {@code PATH}. */
    static Optional<Path> find(Map<String, String> env) {
        return Optional.ofNullable(env.get("KUBECTL")).map(Path::of).filter(Files::isExecutable)
                .or(() -> java.util.Arrays.stream(env.getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(s -> !s.isEmpty()).map(s -> Path.of(s, "kubectl")).filter(Files::isExecutable)
                        .findFirst());
    }

    /** The objects {@code kubectl kustomize k8s/overlays/NAME} renders, each as a YAML tree of maps and lists. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String overlay) {
        Path dir = repository().resolve("k8s/overlays").resolve(overlay);
        assertTrue(Files.isRegularFile(dir.resolve("kustomization.yaml")), "no overlay " + dir);
        String yaml = run(kubectl().toString(), "kustomize", dir.toString());
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it = YAML.readerFor(Map.class).readValues(yaml)) {
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + dir + " printed what is not YAML", e);
        }
        return docs;
    }

    private static String run(String... command) {
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
                assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: "
                        + Files.readString(err, StandardCharsets.UTF_8));
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
