package io.modelmesh.cli.commands;

import io.modelmesh.cli.ConnectionOptions;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.OutputOptions;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.sdk.ModelMeshClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every command that talks to the platform shares: the root, the connection and output options. */
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConnectionOptions connection;
    @Mixin
    OutputOptions output;

    /** The root command (also for commands nested under another, like {@code shadow status}). */
    MmCtl root() {
        return (MmCtl) spec.root().userObject();
    }

    /** A client for the control plane (and data plane) named by the connection options. */
    ModelMeshClient client() {
        return root().client(connection);
    }

    /** Renders results in the chosen output format. */
    Printer printer() {
        return root().printer(spec, output);
    }
}
