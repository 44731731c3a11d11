package io.modelmesh.cli.shell;

import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Colors;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import picocli.CommandLine;

/**
 * The line loop of {@code mmctl shell}: reads a line with jline (history, Tab completion), runs its words through
 * the same {@link CommandLine} {@code main} builds, prints the exit code when it is not 0, and goes on until
 * {@code exit}, {@code quit} or Ctrl-D. Ctrl-C drops the line being typed, or interrupts the running command.
 */
public final class Shell {
    public static final String PROMPT = "mmctl> ";

    private final CommandLine commandLine;
    private final ModelNames names;
    private final Path historyFile;
    private final Colors colors;
    private volatile LineReader reader;

    /**
     * @param commandLines makes mmctl's command line, given the prompt its commands ask questions with (delete's
     *                     confirmation is read through the shell's line reader)
     * @param names        model names and versions for completion
     * @param historyFile  where the history is kept (its directory is created, the file is private to the user)
     * @param colors       colours for the shell's own messages
     */
    public Shell(Function<CliEnvironment.Prompt, CommandLine> commandLines, ModelNames names, Path historyFile,
                 Colors colors) {
        this.commandLine = commandLines.apply(question -> {
            LineReader r = reader;
            try {
                return r == null ? null : r.readLine(question);
            } catch (UserInterruptException | EndOfFileException e) {
                return null;
            }
        });
        this.names = names;
        this.historyFile = historyFile;
        this.colors = colors;
    }

    /**
     * Runs the session on this terminal until exit, quit or end of input; returns 0: a command's failure is shown
     * where it happens and does not end the session (nor make the session fail).
     */
    public int run(Terminal terminal) {
        prepareHistory(historyFile);
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]); // backslashes stay (Windows paths, regular expressions)
        LineReader r = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("mmctl")
                .parser(parser)
                .completer(new ShellCompleter(commandLine.getCommandSpec(), names))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 2000)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
        reader = r;
        PrintWriter out = terminal.writer();
        commandLine.setOut(out);
        commandLine.setErr(out);
        out.println("mmctl shell: type commands without 'mmctl' (Tab completes, 'help' lists them); "
                + "'exit' or Ctrl-D leaves.");
        out.flush();
        names.prefetch();
        try {
            while (true) {
                String line;
                try {
                    line = r.readLine(PROMPT);
                } catch (UserInterruptException e) { // Ctrl-C while typing: drop the line
                    continue;
                } catch (EndOfFileException e) { // Ctrl-D
                    break;
                }
                List<String> words = words(r.getParsedLine(), line);
                if (words.isEmpty()) {
                    continue;
                }
                String first = words.get(0);
                if (words.size() == 1 && (first.equals("exit") || first.equals("quit"))) {
                    break;
                }
                if (first.equals("shell")) {
                    out.println("already in the shell");
                    out.flush();
                    continue;
                }
                int last = execute(terminal, command(words));
                if (last != ExitCodes.OK) {
                    out.println(colors.tone(Cell.Tone.BAD, "exit " + last + " (" + ExitCodes.name(last) + ")"));
                }
                out.flush();
            }
        } finally {
            try {
                r.getHistory().save();
            } catch (IOException e) {
                out.println("warning: history not saved to " + historyFile + ": " + e.getMessage());
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** {@code help} and {@code help CMD...} show mmctl's help; anything else is mmctl's arguments. */
    static String[] command(List<String> words) {
        if (words.get(0).equals("help")) {
            List<String> help = new ArrayList<>(words.subList(1, words.size()));
            help.add("--help");
            return help.toArray(String[]::new);
        }
        return words.toArray(String[]::new);
    }

    /** Runs one command; Ctrl-C interrupts it (a command waiting or redrawing stops with exit 130). */
    private int execute(Terminal terminal, String[] args) {
        Thread runner = Thread.currentThread();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> runner.interrupt());
        try {
            return commandLine.execute(args);
        } finally {
            if (commandLine.getCommand() instanceof MmCtl root) {
                root.closeClients();   // each command makes its own client; a long session must not keep them all
            }
            terminal.handle(Terminal.Signal.INT, previous);
            Thread.interrupted(); // an interrupt that came after the command ended must not hit the next read
        }
    }

    /** The words of the line as the shell would split them, quotes removed. */
    private static List<String> words(ParsedLine parsed, String line) {
        List<String> words = new ArrayList<>(parsed == null ? List.of(line.trim().split("\\s+")) : parsed.words());
        words.removeIf(String::isEmpty);
        return words;
    }

    /** Creates the history's directory and an empty file only its owner can read (commands name models, files). */
    static void prepareHistory(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException ignored) {
                // kept from earlier sessions
            } catch (UnsupportedOperationException e) { // not a POSIX file system
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException ignored) {
            // raced with another shell
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the shell history in " + file, e);
        }
    }
}
