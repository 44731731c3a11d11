package io.modelmesh.controlplane;

import io.modelmesh.server.config.ServerFlags;
import io.modelmesh.server.observe.LogSetup;
import io.modelmesh.server.observe.Observability;

import java.util.Map;

/** {@code controlplane [--host H] [--port P] [--home DIR] [--database-url URL] ...}: see docs/CONTRACTS.md. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ControlPlaneConfig config;
        Observability observability;
        try {
            Map<String, String> flags = ControlPlaneConfig.FLAGS.parse(args);
            observability = Observability.from(flags, System.getenv());
            config = ControlPlaneConfig.fromFlags(flags, System.getenv());
        } catch (ServerFlags.HelpRequested help) {
            System.out.print(ControlPlaneConfig.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("controlplane: " + e.getMessage());
            System.err.println("see 'controlplane --help' for the options");
            System.exit(2);
            return;
        }
        LogSetup.configure(observability.logFormat(), "controlplane");
        ControlPlaneConfig.commandLineWarnings(args).forEach(w -> System.err.println("controlplane: warning: " + w));
        ControlPlane controlPlane;
        try {
            controlPlane = ControlPlane.start(config, observability);
        } catch (RuntimeException e) {
            System.err.println("control plane failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close, "controlplane-shutdown"));
        System.out.println("control plane ready on " + controlPlane.uri());
        System.out.flush();
    }
}
