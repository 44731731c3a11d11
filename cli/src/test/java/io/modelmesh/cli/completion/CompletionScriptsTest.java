package io.modelmesh.cli.completion;

import io.modelmesh.cli.Cli;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.MmCtl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The completion scripts of {@code mmctl completion bash|zsh|fish}, run in the real shells: bash's completion
 * function with COMP_WORDS/COMP_CWORD, fish's {@code complete -C}, and zsh in a terminal (tmux: zsh completes only
 * inside its line editor). A shell that is not installed is skipped with a message.
 */
class CompletionScriptsTest {
    @TempDir
    Path dir;

    private Path script(String shell, String file) throws IOException {
        Cli.Result r = Cli.run(ClientFactory.standard(), Map.of(), "completion", shell);
        assertEquals(0, r.code(), r.toString());
        Path p = dir.resolve(file);
        Files.writeString(p, r.out());
        return p;
    }

    private static boolean installed(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + Arrays.toString(command));
        assertEquals(0, p.exitValue(), Arrays.toString(command) + "\n" + out + err);
        return out;
    }

    /** Every command's (qualified) name and every option's long names, from the picocli model. */
    private static List<String[]> commandsAndOptions() {
        List<String[]> all = new ArrayList<>();
        walk(MmCtl.commandLine(ClientFactory.standard()).getCommandSpec(), all);
        return all;
    }

    private static void walk(CommandSpec spec, List<String[]> all) {
        for (OptionSpec o : spec.options()) {
            all.add(new String[] {spec.qualifiedName(" "), o.longestName()});
        }
        for (CommandLine sub : spec.subcommands().values()) {
            if (sub.getCommandSpec().parent() == spec && !sub.getCommandSpec().usageMessage().hidden()) {
                all.add(new String[] {spec.qualifiedName(" "), sub.getCommandSpec().name()});
                walk(sub.getCommandSpec(), all);
            }
        }
    }

    @Test
    void zshAndFishScriptsNameEveryCommandAndOption() throws Exception {
        String zsh = Files.readString(script("zsh", "_mmctl"));
        String fish = Files.readString(script("fish", "mmctl.fish"));
        assertTrue(zsh.startsWith("#compdef mmctl\n"), "native zsh completion, no bashcompinit");
        assertTrue(!zsh.contains("bashcompinit") && zsh.contains("_arguments"));
        for (String[] e : commandsAndOptions()) {
            String word = e[1];
            String fishWord = word.startsWith("--") ? "-l " + word.substring(2) : word.startsWith("-")
                    ? "-s " + word.substring(1) : "-a '" + word + "'";
            assertTrue(fish.contains(fishWord), e[0] + ": " + word + " in the fish script");
            assertTrue(zsh.contains(word), e[0] + ": " + word + " in the zsh script");
        }
    }

    @Test
    void anUnknownShellIsAUsageError() {
        Cli.Result r = Cli.run(ClientFactory.standard(), Map.of(), "completion", "tcsh");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("expected bash, zsh or fish"), r.err());
        assertTrue(Cli.run(ClientFactory.standard(), Map.of(), "completion").out().contains("_complete_mmctl"),
                "bash without an argument, as install.sh has always called it");
    }

    private static String bashComplete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append(" '").append(w).append("'");
        }
        return run("bash", "-c", "source '" + script + "'; COMP_WORDS=(" + arr + "); COMP_CWORD="
                + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_mmctl 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"").trim();
    }

    @Test
    void bashCompletesCommandsOptionsAndValues() throws Exception {
        Path script = script("bash", "mmctl.bash");
        assertEquals("deploy", bashComplete(script, "mmctl", "dep"));
        assertEquals("--max-batch-size", bashComplete(script, "mmctl", "deploy", "iris", "--max-b"));
        List<String> options = List.of(bashComplete(script, "mmctl", "deploy", "iris", "--").split("\n"));
        assertTrue(options.containsAll(List.of("--version", "--max-concurrency", "--timeout", "--fallback")),
                options.toString());
        assertEquals("json", bashComplete(script, "mmctl", "list", "-o", "j"));
        assertEquals("create\nlist\nls\nrevoke", bashComplete(script, "mmctl", "token", ""), "ls: list's alias");
    }

    @Test
    void fishCompletesCommandsOptionsAndValues() throws Exception {
        Assumptions.assumeTrue(installed("fish"), "fish is not installed (apt-get install fish): skipped");
        Path script = script("fish", "mmctl.fish");
        String out = run("fish", "--no-config", "-c", "source '" + script + "'; "
                + "complete -C 'mmctl dep'; echo ---; complete -C 'mmctl deploy iris --max-b'; echo ---; "
                + "complete -C 'mmctl deploy iris --'; echo ---; complete -C 'mmctl list -o '; echo ---; "
                + "complete -C 'mmctl token '; echo ---; complete -C 'mmctl token create ci --sc'");
        String[] parts = out.split("---\n");
        assertEquals(List.of("deploy"), words(parts[0]));
        assertEquals(List.of("--max-batch-size"), words(parts[1]));
        assertTrue(words(parts[2]).containsAll(List.of("--version", "--max-concurrency", "--fallback", "--output")),
                parts[2]);
        assertTrue(!words(parts[2]).contains("--scope"), "only deploy's options after deploy: " + parts[2]);
        assertEquals(List.of("json", "name", "table", "wide", "yaml"), words(parts[3]));
        assertEquals(List.of("create", "list", "revoke"), words(parts[4]));
        assertEquals(List.of("--scope"), words(parts[5]));
    }

    private static List<String> words(String fishOutput) {
        return fishOutput.lines().filter(l -> !l.isBlank()).map(l -> l.split("\t")[0]).sorted().toList();
    }

    @Test
    void zshCompletesCommandsOptionsAndValuesInATerminal() throws Exception {
        Assumptions.assumeTrue(installed("zsh"), "zsh is not installed (apt-get install zsh): skipped");
        Assumptions.assumeTrue(installed("tmux"), "tmux is not installed (apt-get install tmux): skipped");
        Path script = script("zsh", "_mmctl");
        String session = "mmctl-zsh-" + ProcessHandle.current().pid();
        run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                "env -i HOME=" + dir + " TERM=xterm PATH=/usr/bin:/bin zsh -f");
        try {
            keys(session, "autoload -U compinit && compinit -u -D && source '" + script + "' && PS1='%% '", "Enter");
            screenShows(session, "% ");
            keys(session, "mmctl dep", "Tab");
            screenShows(session, "% mmctl deploy");
            keys(session, "iris --max-b", "Tab");
            screenShows(session, "% mmctl deploy iris --max-batch-size");
            keys(session, "C-u", "mmctl list -o ", "Tab");
            screenShows(session, "json +name +table +wide +yaml");
            keys(session, "C-u", "mmctl tok", "Tab");
            screenShows(session, "% mmctl token");
        } finally {
            new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void keys(String session, String... keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "send-keys", "-t", session, "--"));
        cmd.addAll(List.of(keys));
        run(cmd.toArray(String[]::new));
    }

    /** Waits for a screen line that is exactly {@code regex} (trailing blanks ignored). */
    private static void screenShows(String session, String regex) {
        AtomicReference<String> screen = new AtomicReference<>("");
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                screen.set(run("tmux", "capture-pane", "-p", "-t", session));
                return screen.get().lines().anyMatch(l -> l.stripTrailing().matches(regex.strip()));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no /" + regex + "/ on the screen:\n" + screen.get(), e);
        }
    }
}
