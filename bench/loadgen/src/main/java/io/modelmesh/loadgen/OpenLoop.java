package io.modelmesh.loadgen;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Open-loop HTTP load generator: requests are due at {@code t0 + i / rate} whatever the server does, and latency is
 * measured from that intended time, so there is no coordinated omission. See {@link Options#USAGE} and
 * {@code bench/README.md}.
 */
public final class OpenLoop {
    private OpenLoop() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(Options.USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("OpenLoop: " + e.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        Result result;
        try {
            result = new LoadRun(options, err).run();
        } catch (IOException e) {
            err.println("OpenLoop: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("OpenLoop: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("OpenLoop: interrupted");
            return 130;
        }
        if (options.markdownHeader()) {
            out.println(Result.markdownHeader());
        }
        out.println(result.markdownRow());
        out.println(result.machineLine());
        return 0;
    }
}
