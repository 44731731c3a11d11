package io.modelmesh.dataplane;

import java.util.Arrays;

/** {@code java io.modelmesh.dataplane.Main [--port 8000] [--control-plane URL] [--home DIR] [--node-id ID]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("usage: dataplane [--host H] [--port 8000] [--control-plane http://127.0.0.1:8080] "
                    + "[--home DIR] [--node-id ID] [--advertise-url URL] [--engine-threads N] [--batch-workers N] [--redis-url redis://H:P] "
                    + "[--report-interval 1s] [--echo-route] [--validation-timeout 10s] [--validation-memory 2GiB] "
                    + "[--allowed-frameworks onnx,torchscript,sklearn,pmml] [--prepare-timeout 60s] "
                    + "[--read-timeout 30s] [--max-inflight-bytes 64MiB]  (see docs/CONTRACTS.md)");
            return;
        }
        DataPlaneConfig config;
        try {
            config = DataPlaneConfig.fromArgs(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("dataplane: " + e.getMessage());
            System.exit(2);
            return;
        }
        DataPlane node = DataPlane.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "dataplane-shutdown"));
        System.out.println("data plane " + node.nodeId() + " ready on " + node.uri());
    }
}
