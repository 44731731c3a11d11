package io.modelmesh.cli.shell;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Tab completion in {@code mmctl shell}: commands, options and option values from the picocli model (the same
 * {@link AutoComplete} the bash script is generated from), plus model names where a command takes a model NAME and
 * versions after {@code --version}, from the control plane through {@link ModelNames}.
 */
public final class ShellCompleter implements Completer {
    /** Commands that make no sense inside the shell. */
    private static final List<String> HIDDEN = List.of("shell", "completion", "__complete");

    private final CommandSpec root;
    private final ModelNames names;

    public ShellCompleter(CommandSpec root, ModelNames names) {
        this.root = root;
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String prefix = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        for (String w : complete(line.words(), line.wordIndex(), prefix)) {
            candidates.add(new Candidate(w, w, null, null, null, null, true));
        }
    }

    /** The words that may stand at {@code wordIndex} and start with {@code prefix}, sorted. */
    public List<String> complete(List<String> words, int wordIndex, String prefix) {
        List<String> args = new ArrayList<>(words);
        while (args.size() <= wordIndex) {
            args.add("");
        }
        TreeSet<String> out = new TreeSet<>();
        List<String> models = modelWords(args, wordIndex, prefix);
        List<CharSequence> fromPicocli = new ArrayList<>();
        AutoComplete.complete(root, args.toArray(String[]::new), wordIndex, 0, 0, fromPicocli);
        for (CharSequence c : fromPicocli) {
            if (models == null || !c.toString().startsWith("-")) { // where a NAME goes, options wait for a '-'
                out.add(c.toString());
            }
        }
        if (models != null) {
            out.addAll(models);
        }
        List<String> result = new ArrayList<>();
        for (String w : out) {
            if (w.startsWith(prefix) && !(wordIndex == 0 && HIDDEN.contains(w))) {
                result.add(w);
            }
        }
        return result;
    }

    /**
     * Model names or versions when the word at {@code wordIndex} is one (empty when the control plane does not
     * answer), else null (and no request is sent).
     */
    private List<String> modelWords(List<String> args, int wordIndex, String prefix) {
        if (prefix.startsWith("-")) {
            return null;
        }
        CommandSpec cmd = root;
        int i = 0;
        while (i < wordIndex) {
            CommandLine sub = cmd.subcommands().get(args.get(i));
            if (sub == null) {
                break;
            }
            cmd = sub.getCommandSpec();
            i++;
        }
        if (cmd == root || !takesModelName(cmd)) {
            return null;
        }
        String model = null;
        String previous = wordIndex > i ? args.get(wordIndex - 1) : null;
        for (int k = i; k < wordIndex; k++) {
            String w = args.get(k);
            if (w.startsWith("-")) {
                OptionSpec o = cmd.findOption(w.contains("=") ? w.substring(0, w.indexOf('=')) : w);
                if (o != null && !w.contains("=") && takesValue(o)) {
                    k++; // its value
                }
            } else if (model == null) {
                model = w;
            }
        }
        if ("--version".equals(previous) && cmd.findOption("--version") != null) {
            return model == null || "register".equals(cmd.name()) ? null : names.versions(model);
        }
        if (model == null && !(previous != null && previous.startsWith("-") && takesValue(cmd, previous))) {
            return names.models();
        }
        return null;
    }

    private static boolean takesValue(CommandSpec cmd, String word) {
        if (word.contains("=")) {
            return false;
        }
        OptionSpec o = cmd.findOption(word);
        return o != null && takesValue(o);
    }

    private static boolean takesValue(OptionSpec o) {
        return o.arity().max() > 0 && !o.typeInfo().isBoolean();
    }

    /** Its first positional is a model NAME (not a token's name). */
    private static boolean takesModelName(CommandSpec cmd) {
        List<PositionalParamSpec> positionals = cmd.positionalParameters();
        if (positionals.isEmpty() || !"NAME".equals(positionals.get(0).paramLabel())) {
            return false;
        }
        return !cmd.qualifiedName(" ").contains(" token ");
    }
}
