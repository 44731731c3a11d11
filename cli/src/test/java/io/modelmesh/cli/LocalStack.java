package io.modelmesh.cli;

import io.modelmesh.cli.Cli.Result;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

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
            node = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home.resolve("dp")));
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
        LocalStack stack = new LocalStack(cp, node);
        ModelMeshClient client = ModelMeshClient.builder().controlPlane(cp.uri()).build();
        long deadline = System.nanoTime() + NODE_TIMEOUT.toNanos();
        while (client.nodes().stream().noneMatch(n -> n.nodeId().equals(node.nodeId()) && "LIVE".equals(n.state()))) {
            if (System.nanoTime() > deadline) {
                stack.close();
                throw new AssertionError("node " + node.nodeId() + " not LIVE in the control plane after "
                        + NODE_TIMEOUT);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return stack;
    }

    /** Runs mmctl in-process against this stack's control plane. */
    Result mmctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--control-plane", controlPlane.uri().toString()));
        return Cli.run(ClientFactory.standard(), Map.of(), all.toArray(String[]::new));
    }

    @Override
    public void close() {
        node.close();
        controlPlane.close();
    }
}
