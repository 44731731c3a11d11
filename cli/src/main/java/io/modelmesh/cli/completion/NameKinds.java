package io.modelmesh.cli.completion;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that says which arguments take names that only the platform (or the file system) knows, so the
 * completion scripts, {@code mmctl __complete} and the shell agree: a model NAME positional ("Model name."), a
 * {@code --version} value (the versions of the model on the line), a {@code --to} value (its revisions), a
 * {@code --context} value or a context NAME (the mmctl config's contexts), and files (a FILE or DIR label, or a
 * Path or File type).
 */
public enum NameKinds {
    MODEL("models"), VERSION("versions"), REVISION("revisions"), CONTEXT("contexts"), FILE("files");

    private final String word;

    NameKinds(String word) {
        this.word = word;
    }

    /** What {@code mmctl __complete} takes and the scripts pass: models, versions, revisions, contexts, files. */
    public String word() {
        return word;
    }

    public static Optional<NameKinds> of(ArgSpec a) {
        if (a instanceof OptionSpec o) {
            if (o.arity().max() == 0 || o.typeInfo().isBoolean()) {
                return Optional.empty();
            }
            switch (o.longestName()) {
                case "--version" -> { // register's names a new version: nothing to complete
                    return "register".equals(o.command().name()) ? Optional.empty() : Optional.of(VERSION);
                }
                case "--to" -> {
                    return Optional.of(REVISION);
                }
                case "--context" -> {
                    return Optional.of(CONTEXT);
                }
                default -> {
                    // files below
                }
            }
        } else if (a instanceof PositionalParamSpec p) {
            String description = p.description().length > 0 ? p.description()[0] : "";
            if ("NAME".equals(p.paramLabel()) && description.startsWith("Model name")) {
                return Optional.of(MODEL);
            }
            if ("NAME".equals(p.paramLabel()) && description.startsWith("The context's name")) {
                return Optional.of(CONTEXT);
            }
        }
        return isFile(a) ? Optional.of(FILE) : Optional.empty();
    }

    static boolean isFile(ArgSpec a) {
        Class<?> t = a.typeInfo().isMultiValue() && !a.typeInfo().getAuxiliaryTypeInfos().isEmpty()
                ? a.typeInfo().getAuxiliaryTypeInfos().getFirst().getType() : a.type();
        String label = a.paramLabel().toUpperCase(Locale.ROOT);
        return t == Path.class || t == File.class || label.contains("FILE") || label.contains("DIR");
    }
}
