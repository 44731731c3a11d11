package io.modelmesh.cli;

import io.modelmesh.api.NodeState;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real control plane (embedded PostgreSQL) and one real data-plane node, in-process on ephemeral ports, for running
 * mmctl against. {@link #start} returns once the node is LIVE in the control plane.
 */
final class LocalStack implements AutoCloseable {
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);

    final ControlPlane controlPlane;
    final DataPlane node;

    private LocalStack(ControlPlane controlPlane, DataPlane node) {
        this.controlPlane = controlPlane;
        this.node = node;
    }

    static LocalStack start(Path home) {
        ControlPlane cp = ControlPlane.start(ControlPlaneConfig.forTests(home.resolve("cp")));
        DataPlane node;
        try {
            node = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home.resolve("dp"))
                    .withJoinToken(Files.readString(home.resolve("cp").resolve("join-token")).trim()));
        } catch (IOException e) {
            cp.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
        LocalStack stack = new LocalStack(cp, node);
        ModelMeshClient client = ModelMeshClient.builder().controlPlane(cp.uri()).token(stack.adminToken()).build();
        try {
            Awaitility.await("node " + node.nodeId() + " LIVE in the control plane").atMost(NODE_TIMEOUT)
                    .until(() -> client.nodes().stream()
                            .anyMatch(n -> n.nodeId().equals(node.nodeId()) && n.state() == NodeState.LIVE));
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** The stack's admin token (its control plane wrote it under its home). */
    String adminToken() {
        try {
            return Files.readString(controlPlane.config().home().resolve("admin-token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs mmctl in-process against this stack's control plane, as the local admin (MM_HOME is the stack's). */
    Result mmctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--control-plane", controlPlane.uri().toString()));
        return Cli.run(ClientFactory.standard(), Map.of("MM_HOME", controlPlane.config().home().toString()),
                all.toArray(String[]::new));
    }

    @Override
    public void close() {
        node.close();
        controlPlane.close();
    }
}
