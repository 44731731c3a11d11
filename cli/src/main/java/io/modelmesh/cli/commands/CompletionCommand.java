package io.modelmesh.cli.commands;

import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.completion.CompletionScripts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmctl completion [bash|zsh|fish]}: a completion script generated from the commands. */
@Command(name = "completion", header = "Print the completion script for bash, zsh or fish.",
        description = {"Generated from mmctl's commands, so it covers every command, option and option value.",
                "bash (the default): load it with 'source <(mmctl completion bash)', or install it:",
                "  mmctl completion bash > ~/.local/share/bash-completion/completions/mmctl",
                "zsh (native, no bashcompinit): in ~/.zshrc after compinit 'source <(mmctl completion zsh)', or:",
                "  mmctl completion zsh > \"${fpath[1]}/_mmctl\"",
                "fish:",
                "  mmctl completion fish > ~/.config/fish/completions/mmctl.fish", ""})
public final class CompletionCommand implements Callable<Integer> {
    /** The shells there is a script for. */
    public static final class Shells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bash", "zsh", "fish").iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            completionCandidates = Shells.class, description = "bash, zsh or fish (default: bash).")
    String shell;

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        String script = switch (shell) {
            case "bash" -> CompletionScripts.bash(root);
            case "zsh" -> CompletionScripts.zsh(root);
            case "fish" -> CompletionScripts.fish(root);
            default -> throw new ParameterException(spec.commandLine(),
                    "no completion for shell '" + shell + "': expected bash, zsh or fish");
        };
        PrintWriter out = spec.commandLine().getOut();
        out.print(script);
        out.flush();
        return ExitCodes.OK;
    }
}
