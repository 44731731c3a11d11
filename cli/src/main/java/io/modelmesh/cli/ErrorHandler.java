package io.modelmesh.cli;

import io.modelmesh.cli.output.Colors;
import io.modelmesh.cli.output.OutputFormat;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;

/**
 * The one place exceptions become exit codes ({@link ExitCodes#of}) and {@code error: <message>} lines on stderr. Stack
 * traces only with --verbose or MM_DEBUG.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final BooleanSupplier verbose;
    private final Colors colors;

    ErrorHandler(BooleanSupplier verbose, Colors colors) {
        this.verbose = verbose;
        this.colors = colors;
    }

    /** Usage errors: what is wrong, a suggestion for typos, where to read more. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(colors.error("error: " + ServerMessages.forCli(ex.getMessage())));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        if (ex instanceof ParameterException p) {
            return handleParseException(p, parseResult.originalArgs().toArray(String[]::new));
        }
        int code = ExitCodes.of(ex);
        PrintWriter err = cmd.getErr();
        if (code == ExitCodes.INTERRUPTED) { // Ctrl-C in mmctl shell: nothing went wrong
            err.println("interrupted");
            err.flush();
            return code;
        }
        err.println(colors.forFormat(format(parseResult)).error("error: " + message(ex)));
        if (ex instanceof ModelMeshException m && m.traceId() != null
                && (m.status() >= 500 || verbose.getAsBoolean())) { // what to quote when asking about a failure
            err.println("trace id: " + m.traceId() + (m.error().requestId() == null ? ""
                    : ", request id: " + m.error().requestId()) + " (the servers' logs carry both)");
        }
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        } else if (code == ExitCodes.FAILURE && !(ex instanceof ModelMeshException) && !(ex instanceof CliException)) {
            err.println("(this looks like a bug in mmctl; rerun with --verbose for the stack trace)");
        }
        err.flush();
        return code;
    }

    /** The -o of the command that ran: no colours on stderr either when a script asked for JSON or YAML. */
    private static OutputFormat format(ParseResult parseResult) {
        ParseResult p = parseResult;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p.hasMatchedOption("--output") ? p.matchedOptionValue("--output", OutputFormat.TABLE)
                : OutputFormat.TABLE;
    }

    /** The message alone for expected failures; class and message for unexpected ones. */
    static String message(Throwable ex) {
        if (ex instanceof ModelMeshException || ex instanceof CliException) {
            return ex.getMessage() == null ? ex.getClass().getSimpleName()
                    : ServerMessages.forCli(ex.getMessage());
        }
        return ex.getMessage() == null ? ex.getClass().getName() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }
}
