package io.modelmesh.cli.completion;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.FakeServer;
import io.modelmesh.cli.commands.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Completion that knows names (issue 15, item 10), through the real shells: an {@code mmctl} on PATH (this JVM's
 * class path) asks a scripted control plane for models, versions and revisions through {@code mmctl __complete};
 * files complete after {@code -f}; {@code shadow iris <Tab>} offers options, not the subcommand.
 */
class CompletionOfNamesTest {
    @TempDir
    static Path dir;
    static FakeServer cp;
    static Path bin;

    @BeforeAll
    static void start() throws Exception {
        cp = new FakeServer();
        ModelSummary iris = new ModelSummary("iris", "onnx", "1.1.0", "1.0.0", 2, Samples.T);
        ModelSummary ads = new ModelSummary("ads", "onnx", "2.0.0", "2.0.0", 1, Samples.T);
        cp.on("GET", "/models", 200, Json.mapper().writeValueAsString(new Page<>(List.of(iris, ads), 0, 2, 2)));
        cp.on("GET", "/models/iris/versions", 200, Json.mapper().writeValueAsString(
                List.of(Samples.version("1.0.0", null), Samples.version("1.1.0", "1.0.0"))));
        cp.on("GET", "/models/iris/aliases", 200, Json.mapper().writeValueAsString(List.of(
                new io.modelmesh.api.ModelAlias("iris", "champion", "1.1.0", Samples.T, "admin"))));
        DeploymentStatus r7 = Samples.deployment("1.0.0", 1, 1);
        cp.on("GET", "/deployments/iris/history", 200, Json.mapper().writeValueAsString(List.of(
                new DeploymentStatus(7, "iris", r7.route(), Samples.T, "admin", "deploy", 1, 1, List.of()),
                new DeploymentStatus(9, "iris", r7.route(), Samples.T, "admin", "deploy", 1, 1, List.of()))));
        bin = Files.createDirectories(dir.resolve("bin"));
        Path mmctl = bin.resolve("mmctl");
        Files.writeString(mmctl, "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElse("java")
                + "' -cp '" + System.getProperty("java.class.path") + "' io.modelmesh.cli.MmCtl \"$@\"\n");
        Files.setPosixFilePermissions(mmctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("work/manifests"));
        Files.writeString(dir.resolve("work/manifests/iris.yaml"), "kind: ModelDeployment\n");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    private static String script(String shell) throws Exception {
        Cli.Result r = Cli.run(ClientFactory.standard(), Map.of(), "completion", shell);
        assertEquals(0, r.code(), r.toString());
        Path p = dir.resolve("mmctl." + shell);
        Files.writeString(p, r.out());
        return p.toString();
    }

    private static String run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.resolve("work").toFile());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("MM_CONTROL_PLANE", cp.uri().toString());
        pb.environment().put("MM_HOME", dir.resolve("no-home").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + Arrays.toString(command));
        assertEquals(0, p.exitValue(), Arrays.toString(command) + "\n" + out + err);
        return out;
    }

    private static boolean installed(String program) {
        return Files.isExecutable(Path.of("/usr/bin", program)) || Files.isExecutable(Path.of("/bin", program));
    }

    /** The words bash's mmctl completion offers for this line (the last word is the one being completed). */
    private static List<String> bash(String script, String... words) throws Exception {
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append(" '").append(w).append("'");
        }
        String out = run("bash", "-c", "source '" + script + "'; COMP_WORDS=(" + arr + "); COMP_CWORD="
                + (words.length - 1) + "; COMP_LINE='" + String.join(" ", words) + "'; COMP_POINT=${#COMP_LINE}; "
                + "f=$(complete -p mmctl | sed -E 's/.* -F ([^ ]+) .*/\\1/'); $f mmctl 2>/dev/null; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"");
        return out.lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    @Test
    void bashCompletesModelsVersionsRevisionsAndFiles() throws Exception {
        String s = script("bash");
        assertEquals(List.of("ads", "iris"), bash(s, "mmctl", "deploy", ""));
        assertEquals(List.of("iris"), bash(s, "mmctl", "canary", "i"));
        assertEquals(List.of("1.0.0", "1.1.0", "@champion"), bash(s, "mmctl", "deploy", "iris", "--version", ""));
        assertEquals(List.of("7", "9"), bash(s, "mmctl", "rollback", "iris", "--to", ""));
        assertEquals(List.of("manifests"), bash(s, "mmctl", "apply", "-f", "man"));
        assertEquals(List.of("manifests/iris.yaml"), bash(s, "mmctl", "diff", "-f", "manifests/"));
        List<String> shadow = bash(s, "mmctl", "shadow", "iris", "");
        assertTrue(shadow.contains("--version") && !shadow.contains("status"), "options after the NAME: " + shadow);
        assertEquals(List.of("ads", "iris", "status"), bash(s, "mmctl", "shadow", ""),
                "the subcommand or a NAME where either may stand");
        assertEquals(List.of("1.0.0", "1.1.0", "@champion"), bash(s, "mmctl", "shadow", "iris", "--version", ""));
        assertEquals(List.of("deploy"), bash(s, "mmctl", "dep"), "commands still complete");
    }

    @Test
    void anUnreachableControlPlaneGivesNoNamesAndNoError() throws Exception {
        String s = script("bash");
        String out = run("bash", "-c", "source '" + s + "'; COMP_WORDS=(mmctl deploy ''); COMP_CWORD=2; "
                + "f=$(complete -p mmctl | sed -E 's/.* -F ([^ ]+) .*/\\1/'); "
                + "MM_CONTROL_PLANE=http://127.0.0.1:9 $f mmctl; printf '[%s]\\n' \"${COMPREPLY[@]}\"");
        assertEquals("[]", out.strip(), "nothing offered, nothing printed");
    }

    @Test
    void fishCompletesNamesInTheRightPlaces() throws Exception {
        Assumptions.assumeTrue(installed("fish"), "fish is not installed (apt-get install fish): skipped");
        String s = script("fish");
        String out = run("fish", "--no-config", "-c", "source '" + s + "'; "
                + "complete -C 'mmctl deploy '; echo ---; complete -C 'mmctl deploy iris --version '; echo ---; "
                + "complete -C 'mmctl shadow iris '; echo ---; complete -C 'mmctl rollback iris --to '; echo ---; "
                + "complete -C 'mmctl apply -f man'");
        String[] parts = out.split("---\n", -1);
        assertEquals(List.of("ads", "iris"), words(parts[0]));
        assertEquals(List.of("1.0.0", "1.1.0", "@champion"), words(parts[1]));
        assertTrue(!words(parts[2]).contains("status") && !words(parts[2]).contains("iris"), parts[2]);
        assertEquals(List.of("7", "9"), words(parts[3]));
        assertEquals(List.of("manifests/"), words(parts[4]));
    }

    @Test
    void zshCompletesNamesInATerminal() throws Exception {
        Assumptions.assumeTrue(installed("zsh"), "zsh is not installed (apt-get install zsh): skipped");
        Assumptions.assumeTrue(installed("tmux"), "tmux is not installed (apt-get install tmux): skipped");
        String s = script("zsh");
        String session = "mmctl-zsh-names-" + ProcessHandle.current().pid();
        run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", "env -i HOME=" + dir
                + " TERM=xterm PATH=" + bin + ":/usr/bin:/bin MM_CONTROL_PLANE=" + cp.uri() + " MM_HOME=" + dir
                + "/no-home XDG_CONFIG_HOME=" + dir + "/config zsh -f");
        try {
            keys(session, "autoload -U compinit && compinit -u -D && source '" + s + "' && PS1='%% '", "Enter");
            screenShows(session, "% ");
            keys(session, "mmctl deploy i", "Tab");
            screenShows(session, "% mmctl deploy iris");
            keys(session, "C-u", "mmctl shadow iris --version 1.1", "Tab");
            screenShows(session, "% mmctl shadow iris --version 1.1.0");
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
        var screen = new java.util.concurrent.atomic.AtomicReference<>("");
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                        screen.set(run("tmux", "capture-pane", "-p", "-t", session));
                        return screen.get().lines().anyMatch(l -> l.stripTrailing().matches(regex.strip()));
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no /" + regex + "/ on the screen:\n" + screen.get(), e);
        }
    }

    private static List<String> words(String out) {
        List<String> w = new ArrayList<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> w.add(l.split("\t")[0]));
        return w.stream().sorted().toList();
    }
}
