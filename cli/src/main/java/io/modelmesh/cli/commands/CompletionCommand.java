package io.modelmesh.cli.commands;

import io.modelmesh.cli.ExitCodes;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code mmctl completion}: the bash (and zsh via bashcompinit) completion script, generated from the commands. */
@Command(name = "completion", header = "Print the bash completion script.",
        description = {"Load it in the current shell with", "  source <(mmctl completion)",
                "or install it for every shell:", "  mmctl completion > ~/.local/share/bash-completion/completions/mmctl",
                "zsh: run 'autoload -U +X bashcompinit && bashcompinit' first.", ""})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("mmctl", spec.root().commandLine()));
        out.flush();
        return ExitCodes.OK;
    }
}
