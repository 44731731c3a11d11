package io.modelmesh.server.config;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of both servers, parsed by picocli: {@code --flag value} or {@code --flag=value}, flags without a
 * value ({@code --echo-route}) and flags whose value is optional ({@code --access-log[=false]}); the last of a
 * repeated flag wins. An unknown flag, a missing value or a stray argument is an {@link IllegalArgumentException} that
 * says so (with picocli's suggestion for a misspelt flag); {@code --help}/{@code -h} is {@link HelpRequested}. What
 * the values mean is for each server's configuration (flag over environment variable, through {@link Settings}).
 */
public final class ServerFlags {
    /** How a flag takes its value. */
    public enum Arity { VALUE, NONE, OPTIONAL }

    /** One flag: its name, how it takes a value, the value's label and what it does (for the usage text). */
    public record Flag(String name, Arity arity, String label, String description) {
        public static Flag value(String name, String label, String description) {
            return new Flag(name, Arity.VALUE, label, description);
        }
    }

    /** Thrown for {@code --help}; the caller prints {@link #usage()}. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    private final String command;
    private final List<Flag> flags;

    public ServerFlags(String command, List<Flag> flags) {
        this.command = command;
        this.flags = List.copyOf(flags);
    }

    /** The same with more flags (each server adds its own to the shared ones). */
    public ServerFlags with(List<Flag> more) {
        List<Flag> all = new ArrayList<>(flags);
        all.addAll(more);
        return new ServerFlags(command, all);
    }

    public List<Flag> flags() {
        return flags;
    }

    /**
     * The flags given, by name, in order; a flag without a value (or an optional one left out) maps to {@code true}.
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or an argument that is not a flag
     * @throws HelpRequested            for {@code --help} or {@code -h}
     */
    public Map<String, String> parse(String[] args) {
        CommandLine cl = commandLine();
        ParseResult result;
        try {
            result = cl.parseArgs(args);
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "?" : e.getUnmatched().getFirst();
            if (!first.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument '" + first + "': options start with --");
            }
            String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            List<String> similar = similar(name);
            throw new IllegalArgumentException("unknown option " + name + (similar.isEmpty() ? ""
                    : " (did you mean " + String.join(" or ", similar) + "?)") + "; see " + command + " --help");
        } catch (CommandLine.MissingParameterException e) {
            String name = e.getMissing().isEmpty() || !(e.getMissing().getFirst() instanceof OptionSpec o) ? "?"
                    : o.longestName();
            throw new IllegalArgumentException("option " + name + " needs a value");
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (result.isUsageHelpRequested()) {
            throw new HelpRequested();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec o : result.matchedOptions()) {
            if (o.usageHelp()) {
                continue;
            }
            Object v = o.getValue();
            out.put(o.longestName(), v == null || v instanceof Boolean ? "true" : v.toString());
        }
        return out;
    }

    /** Known flags within two edits (Levenshtein) of a misspelt one ({@code --prot}: {@code --port}). */
    List<String> similar(String name) {
        return flags.stream().map(Flag::name).filter(f -> distance(f, name) <= 2).toList();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The usage text picocli makes from the flags' labels and descriptions. */
    public String usage() {
        return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create().name(command);
        spec.usageMessage().sortOptions(false).width(118);
        spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).description("print this help").build());
        for (Flag f : flags) {
            OptionSpec.Builder b = OptionSpec.builder(f.name()).description(f.description() == null ? ""
                    : f.description());
            switch (f.arity()) {
                case NONE -> b.arity("0").type(boolean.class);
                case OPTIONAL -> b.arity("0..1").type(String.class).paramLabel(f.label()).fallbackValue("true");
                default -> b.arity("1").type(String.class).paramLabel(f.label());
            }
            spec.addOption(b.build());
        }
        CommandLine cl = new CommandLine(spec);
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated flag wins, as before
        cl.setUnmatchedArgumentsAllowed(false);
        cl.setPosixClusteredShortOptionsAllowed(false);
        return cl;
    }

}
