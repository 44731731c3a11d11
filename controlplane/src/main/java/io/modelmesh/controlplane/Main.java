package io.modelmesh.controlplane;

/** {@code controlplane [--host H] [--port P] [--home DIR] [--database-url URL] ...}: see docs/CONTRACTS.md. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ControlPlaneConfig config;
        try {
            config = ControlPlaneConfig.fromArgs(args, System.getenv());
        } catch (ControlPlaneConfig.HelpRequested help) {
            System.out.print(ControlPlaneConfig.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("controlplane: " + e.getMessage());
            System.err.print(ControlPlaneConfig.USAGE);
            System.exit(2);
            return;
        }
        ControlPlaneConfig.commandLineWarnings(args).forEach(w -> System.err.println("controlplane: warning: " + w));
        ControlPlane controlPlane;
        try {
            controlPlane = ControlPlane.start(config);
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
