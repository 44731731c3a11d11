package io.modelmesh.engine.validate;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * How a validation child is started: this JVM's {@code java} with this JVM's class path, passed in a java
 * {@code @argfile} (onnxruntime 1.29 crashes the JVM when the process command line exceeds about 4 KiB, which a spelled
 * out class path does), the heap capped at half the memory limit, the DJL and ONNX Runtime system properties this
 * process uses, and an environment reduced to what runtimes need: no token, password or database URL of the server is
 * visible to the code being validated. ONNX Runtime's native libraries are extracted once into the work directory and
 * loaded from there ({@code onnxruntime.native.path}) rather than into a new temporary directory by every child; each
 * child gets its own {@code java.io.tmpdir}, deleted after it exits.
 */
final class ChildLauncher {
    static final String MAIN = ValidatorMain.class.getName();
    /** Environment variables a child keeps; everything else the server was started with is dropped. */
    private static final Set<String> ENVIRONMENT = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "LD_LIBRARY_PATH",
            "JAVA_HOME", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "DJL_OFFLINE", "OPT_OUT_TRACKING", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS");
    /** System properties passed on when this process has them set. */
    private static final Set<String> PROPERTIES = Set.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "OPT_OUT_TRACKING",
            "DJL_OFFLINE", "onnxruntime.native.path");
    private static final List<String> PROPERTY_PREFIXES = List.of("ai.djl.");

    private final Path workDir;
    private final Path argFile;
    private final Path tmpRoot;
    private final String java;

    private ChildLauncher(Path workDir, Path argFile, Path tmpRoot, String java) {
        this.workDir = workDir;
        this.argFile = argFile;
        this.tmpRoot = tmpRoot;
        this.java = java;
    }

    /** Prepares the work directory: the @argfile, ONNX Runtime's libraries, an empty temporary area. */
    static ChildLauncher prepare(ValidationLimits limits, Path workDir) {
        try {
            Path dir = Files.createDirectories(workDir.toAbsolutePath().normalize());
            Path tmpRoot = dir.resolve("tmp");
            deleteRecursively(tmpRoot); // left by a server that was killed while a child ran
            Files.createDirectories(tmpRoot);
            List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                    "-Xmx" + (limits.heapBytes() >> 20) + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true"));
            Path onnxNatives = OnnxNatives.extract(dir.resolve("onnxruntime"));
            if (onnxNatives != null && System.getProperty("onnxruntime.native.path") == null) {
                options.add("-Donnxruntime.native.path=" + onnxNatives);
            }
            System.getProperties().stringPropertyNames().stream().sorted()
                    .filter(k -> PROPERTIES.contains(k) || PROPERTY_PREFIXES.stream().anyMatch(k::startsWith))
                    .forEach(k -> options.add("-D" + k + "=" + System.getProperty(k)));
            options.add("-cp");
            options.add(absoluteClassPath(System.getProperty("java.class.path")));
            Path argFile = dir.resolve("validator.args");
            Path tmp = dir.resolve("validator.args." + UUID.randomUUID() + ".tmp");
            Files.writeString(tmp, argFileText(options), StandardCharsets.UTF_8);
            Files.move(tmp, argFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return new ChildLauncher(dir, argFile, tmpRoot, java);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the validation directory " + workDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** A started child and the temporary directory it was given (the caller deletes it once the child is gone). */
    record Started(Process process, Path tmpDir) {
    }

    Started start() throws IOException {
        Path tmpDir = Files.createDirectories(tmpRoot.resolve(UUID.randomUUID().toString()));
        ProcessBuilder pb = new ProcessBuilder(java, "@" + argFile, "-Djava.io.tmpdir=" + tmpDir, MAIN)
                .directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> !ENVIRONMENT.contains(k));
        try {
            return new Started(pb.start(), tmpDir);
        } catch (IOException e) {
            deleteRecursively(tmpDir);
            throw e;
        }
    }

    /**
     * This JVM's class path with every entry made absolute: the child runs in the work directory, where an entry like
     * {@code lib/*} would name nothing.
     */
    static String absoluteClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            boolean wildcard = entry.equals("*") || entry.endsWith(File.separator + "*");
            String base = wildcard ? entry.substring(0, entry.length() - 1) : entry;
            String absolute = Path.of(base.isEmpty() ? "." : base).toAbsolutePath().normalize().toString();
            entries.add(wildcard ? absolute + File.separator + "*" : absolute);
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Each option on its own line, quoted for the java launcher (backslashes and quotes escaped). */
    static String argFileText(List<String> options) {
        StringBuilder sb = new StringBuilder();
        for (String o : options) {
            sb.append('"').append(o.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        return sb.toString();
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(ChildLauncher.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete " + dir + ": " + e.getMessage());
        }
    }

    /** ONNX Runtime's native libraries for this platform, copied once out of its jar. */
    static final class OnnxNatives {
        private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

        private OnnxNatives() {
        }

        /** The directory holding them, or null when this platform's libraries are not on the class path. */
        static Path extract(Path dir) throws IOException {
            String platform = platform();
            if (platform == null) {
                return null;
            }
            ClassLoader loader = ChildLauncher.class.getClassLoader();
            for (String lib : LIBRARIES) {
                if (loader.getResource("ai/onnxruntime/native/" + platform + "/" + lib) == null) {
                    return null;
                }
            }
            Files.createDirectories(dir);
            for (String lib : LIBRARIES) {
                Path target = dir.resolve(lib);
                URLConnection resource = loader.getResource("ai/onnxruntime/native/" + platform + "/" + lib)
                        .openConnection();
                if (Files.exists(target) && Files.size(target) == resource.getContentLengthLong()) {
                    continue; // written by an earlier start (the jar is versioned, so same size = same library)
                }
                Path tmp = dir.resolve(lib + "." + UUID.randomUUID() + ".tmp");
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, tmp);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return dir;
        }

        private static String platform() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if (!os.contains("linux")) {
                return null;
            }
            return switch (arch) {
                case "amd64", "x86_64" -> "linux-x64";
                case "aarch64", "arm64" -> "linux-aarch64";
                default -> null;
            };
        }
    }
}
