package io.modelmesh.cli.commands;

import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.OutputOptions;
import io.modelmesh.cli.local.PidFile;
import io.modelmesh.cli.local.StackHome;
import io.modelmesh.cli.local.Stopper;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmctl down}: stops what {@code mmctl up} started under a home. */
@Command(name = "down", header = "Stop the local stack started by 'mmctl up'.",
        description = {"Stops the processes named by HOME/run/*.pid: SIGTERM, up to 15 s to exit, then SIGKILL; "
                + "data-plane nodes first, the control plane last. Removes the pid files. Exits 0 when nothing was "
                + "running. Data (database, artifacts, logs) stays under HOME.", ""})
public final class DownCommand implements Callable<Integer> {
    @ParentCommand
    MmCtl root;
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;

    @Option(names = "--home", paramLabel = "DIR", description = "Stack home (env MM_HOME; default: ~/.modelmesh).")
    Path home;

    @Override
    public Integer call() {
        StackHome stackHome = new StackHome(home != null ? home : root.env().home());
        Printer printer = root.printer(spec, output);
        List<Stopper.Stopped> stopped = Stopper.stop(PidFile.all(stackHome), UpCommand.STOP_GRACE);
        List<Stopper.Stopped> running = stopped.stream().filter(Stopper.Stopped::wasRunning).toList();
        if (running.isEmpty() && output.format().forPeople()) {
            printer.note("nothing is running under " + stackHome.root()
                    + (stopped.isEmpty() ? "" : " (removed " + stopped.size() + " stale pid file(s))"));
            return ExitCodes.OK;
        }
        printer.print(running, DownCommand::table);
        return ExitCodes.OK;
    }

    public static List<Block> table(List<Stopper.Stopped> stopped) {
        if (stopped.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("NAME", "PID", "RESULT");
        for (Stopper.Stopped s : stopped) {
            t.row(s.name(), s.pid(), Stopper.KILLED.equals(s.how()) ? Cell.warn("killed after 15 s") : s.how());
        }
        return List.of(t.build());
    }
}
