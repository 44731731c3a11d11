package io.modelmesh.cli;

import io.modelmesh.cli.output.Colors;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * What mmctl reads from its surroundings, captured once so tests can pass their own: environment variables, whether
 * stdout is a terminal, and a person to ask.
 *
 * @param env            environment variables
 * @param stdoutTerminal whether stdout is an interactive terminal (colours are only ever used then)
 * @param prompt         asks the person at the terminal a question, or null when there is no terminal to ask on
 */
public record CliEnvironment(Map<String, String> env, boolean stdoutTerminal, Prompt prompt) {
    public CliEnvironment {
        env = Map.copyOf(env);
    }

    public CliEnvironment(Map<String, String> env, boolean stdoutTerminal) {
        this(env, stdoutTerminal, null);
    }

    /** A question put to the person at the terminal; returns the line typed (null at end of input). */
    @FunctionalInterface
    public interface Prompt {
        String ask(String question);
    }

    /** The real process environment; questions go to the console when it is a terminal. */
    public static CliEnvironment system() {
        Console console = System.console();
        boolean terminal = isTerminal(console);
        return new CliEnvironment(System.getenv(), terminal, terminal ? q -> console.readLine("%s", q) : null);
    }

    /** No terminal and the given variables: what tests use. */
    public static CliEnvironment of(Map<String, String> env) {
        return new CliEnvironment(env, false);
    }

    public String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** Whether to colour: {@link Colors#decide} from NO_COLOR, CLICOLOR, CLICOLOR_FORCE and the terminal. */
    public Colors colors() {
        return Colors.decide(env, stdoutTerminal);
    }

    public boolean colour() {
        return colors().enabled();
    }

    /** MM_DEBUG set to anything but 0/false prints stack traces, like --verbose. */
    public boolean debug() {
        String v = get("MM_DEBUG");
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** mmctl's own files (config.yaml, shell history, nodes last seen): $XDG_CONFIG_HOME/mmctl or ~/.config/mmctl. */
    public Path configDir() {
        String xdg = get("XDG_CONFIG_HOME");
        Path config = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("mmctl").toAbsolutePath();
    }

    /** MM_HOME, else ~/.modelmesh. */
    public Path home() {
        String v = get("MM_HOME");
        return (v != null ? Path.of(v) : Path.of(System.getProperty("user.home"), ".modelmesh")).toAbsolutePath();
    }

    /**
     * JDK 22+ returns a Console even when the streams are redirected and adds {@code Console.isTerminal()}; JDK 21 returns
     * null then. Called reflectively because the code targets release 21.
     */
    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (boolean) m.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }
}
