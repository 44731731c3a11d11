package io.modelmesh.dataplane;

/**
 * A failure injected on purpose by {@code mmctl chaos} (the version's {@link io.modelmesh.api.Fault} in the routing
 * table): HTTP 500 with error code {@code injected_fault}, counted as a server error like any other.
 */
public class InjectedFaultException extends RuntimeException {
    public InjectedFaultException(String model, String version) {
        super("injected fault on model '" + model + "' version " + version + " (fault injection is on for this "
                + "version; stop it with: mmctl chaos " + model + " --version " + version + " --clear)");
    }
}
