package io.modelmesh.cli;

import io.modelmesh.cli.output.OutputFormat;
import picocli.CommandLine.Option;

/** Mixin: {@code -o/--output}. Every command that prints a result has it. */
public final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, completionCandidates = OutputFormat.Candidates.class,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Data goes to stdout, "
                    + "messages to stderr.")
    OutputFormat format = OutputFormat.TABLE;

    public OutputFormat format() {
        return format;
    }
}
