package io.modelmesh.cli.commands;

import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FrameworkOption;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.List;

/** {@code mmctl list}: registered models, one page at a time. */
@Command(name = "list", aliases = "ls", sortOptions = false, header = "List registered models.",
        description = {"One row per model with its latest and live version. -o json prints the whole page "
                + "(items, page, size, total).", ""})
public final class ListCommand extends ClientCommand {
    @Option(names = "--framework", paramLabel = "FRAMEWORK", converter = FrameworkOption.Converter.class,
            completionCandidates = FrameworkOption.Candidates.class,
            description = "Only models of this framework: ${COMPLETION-CANDIDATES}.")
    Framework framework;

    @Option(names = "--page", paramLabel = "N", defaultValue = "0", description = "Page number, 0-based (default: 0).")
    int page;

    @Option(names = "--size", paramLabel = "N", defaultValue = "50", description = "Models per page, 1-1000 (default: 50).")
    int size;

    @Override
    public Integer call() {
        if (page < 0) {
            throw new ParameterException(spec.commandLine(), "--page must be 0 or more, not " + page);
        }
        if (size < 1 || size > 1000) {
            throw new ParameterException(spec.commandLine(), "--size must be between 1 and 1000, not " + size);
        }
        Page<ModelSummary> result = client().listModels(page, size,
                framework == null ? null : framework.wireName());
        Printer printer = printer();
        printer.print(result, ListCommand::table);
        if (output.format().forPeople()) {
            if (result.total() == 0) {
                printer.note("no models registered" + (framework == null ? "" : " with framework " + framework.wireName())
                        + " (register one: mmctl register NAME --file FILE)");
            } else if ((long) (result.page() + 1) * result.size() < result.total()) {
                long shown = (long) result.page() * result.size() + result.items().size();
                printer.note("showing " + shown + " of " + result.total() + " models; next page: mmctl list --page "
                        + (result.page() + 1) + (size == 50 ? "" : " --size " + size));
            }
        }
        return ExitCodes.OK;
    }

    public static List<Block> table(Page<ModelSummary> page) {
        if (page.items().isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("NAME", "FRAMEWORK", "LATEST", "LIVE", "VERSIONS", "CREATED");
        for (ModelSummary m : page.items()) {
            t.row(m.name(), m.framework(), m.latestVersion(),
                    m.liveVersion() == null ? Cell.dim("-") : Cell.good(m.liveVersion()),
                    m.versions(), Format.instant(m.createdAt()));
        }
        return List.of(t.build());
    }
}
