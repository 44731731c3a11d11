package io.modelmesh.cli.commands;

import io.modelmesh.api.ManifestFile;
import io.modelmesh.cli.CliException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The manifests named by {@code -f} options: a file as it is (one or more YAML documents), every {@code *.yaml} and
 * {@code *.yml} in a directory (not recursive, sorted by name), or {@code -} for stdin. Files are sent whole so the
 * control plane's line and column numbers point into them.
 */
public final class ManifestSources {
    /** The name stdin's manifests go by in messages. */
    public static final String STDIN = "<stdin>";

    private ManifestSources() {
    }

    public static List<ManifestFile> read(List<String> sources, Supplier<InputStream> stdin) {
        List<ManifestFile> files = new ArrayList<>();
        boolean stdinRead = false;
        for (String s : sources) {
            if (s.equals("-")) {
                if (stdinRead) {
                    throw CliException.invalidInput("-f - (stdin) given twice");
                }
                stdinRead = true;
                files.add(new ManifestFile(STDIN, readStdin(stdin)));
                continue;
            }
            Path p = Path.of(s);
            if (Files.isDirectory(p)) {
                List<Path> yaml = yamlIn(p);
                if (yaml.isEmpty()) {
                    throw CliException.invalidInput("no *.yaml or *.yml file in " + p);
                }
                for (Path f : yaml) {
                    files.add(file(f));
                }
            } else if (Files.isRegularFile(p)) {
                files.add(file(p));
            } else {
                throw CliException.invalidInput("manifest file not found: " + p);
            }
        }
        return files;
    }

    private static List<Path> yamlIn(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml");
            }).sorted().toList();
        } catch (IOException e) {
            throw CliException.invalidInput("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static ManifestFile file(Path p) {
        try {
            return new ManifestFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            throw CliException.invalidInput("cannot read " + p + " as UTF-8 text: " + e.getMessage());
        }
    }

    private static String readStdin(Supplier<InputStream> stdin) {
        try {
            return new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.invalidInput("cannot read stdin: " + e.getMessage());
        }
    }
}
