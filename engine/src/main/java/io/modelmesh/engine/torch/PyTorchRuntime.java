package io.modelmesh.engine.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.engine.PtNDManager;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.InvalidModelException;

/**
 * libtorch for one {@link TorchScriptEngine}, started on first use.
 *
 * <p>Starting it extracts about 430 MB of native libraries from the pytorch-native-cpu jar into the DJL cache on the
 * first run of a node (a second or two) and loads them (a few hundred milliseconds afterwards), so it happens on the
 * first {@link #manager()} call rather than when the engine is built: a control plane that never sees a TorchScript
 * upload never pays for it. DJL reads its settings only from system properties and environment variables, and only
 * when its engine starts, so they are set just before that, each one only when the operator has not set it:
 * <ul>
 *   <li>{@code DJL_CACHE_DIR} = {@link EngineConfig#nativeCacheDir()} when neither {@code DJL_CACHE_DIR} nor
 *       {@code ENGINE_CACHE_DIR} is set (DJL extracts natives under {@code ENGINE_CACHE_DIR}, falling back to
 *       {@code DJL_CACHE_DIR});</li>
 *   <li>{@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true}: nothing is downloaded and DJL's start-up
 *       telemetry call (EC2 metadata, then an S3 request) is never made;</li>
 *   <li>{@code ai.djl.pytorch.num_threads} = {@link EngineConfig#intraOpThreads()} and
 *       {@code ai.djl.pytorch.num_interop_threads} = 1 (the data plane runs many calls side by side).</li>
 * </ul>
 * A failure to start is remembered, so later loads fail at once with the same reason.
 */
final class PyTorchRuntime {
    private static final String UNAVAILABLE = "the PyTorch engine is not available on this node: ";

    private final EngineConfig config;
    private volatile PtNDManager root;
    private String failure; // guarded by this

    PyTorchRuntime(EngineConfig config) {
        this.config = config;
    }

    /**
     * The manager every model's native memory hangs from, starting libtorch on the first call.
     *
     * @throws InvalidModelException when libtorch cannot be loaded on this node
     */
    PtNDManager manager() throws InvalidModelException {
        PtNDManager m = root;
        if (m == null) {
            m = start();
        }
        return m;
    }

    private synchronized PtNDManager start() throws InvalidModelException {
        if (root != null) {
            return root;
        }
        if (failure != null) {
            throw new InvalidModelException(UNAVAILABLE + failure);
        }
        try {
            configure();
            Engine engine = Engine.getEngine(PtEngine.ENGINE_NAME);
            root = (PtNDManager) engine.newBaseManager(Device.cpu());
            return root;
        } catch (RuntimeException | LinkageError e) {
            failure = (bundled() ? "" : "no libtorch is bundled on the class path (a pytorch-native-cpu jar for "
                    + System.getProperty("os.arch") + "): ") + TorchErrors.describeChain(e);
            throw new InvalidModelException(UNAVAILABLE + failure, e);
        }
    }

    private void configure() {
        if (config.nativeCacheDir() != null && !isSet("DJL_CACHE_DIR") && !isSet("ENGINE_CACHE_DIR")) {
            System.setProperty("DJL_CACHE_DIR", config.nativeCacheDir().toAbsolutePath().toString());
        }
        if (System.getenv("DJL_OFFLINE") == null) {
            setIfAbsent("ai.djl.offline", "true");
        }
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(config.intraOpThreads()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** Whether a pytorch-native jar is on the class path (DJL finds libtorch through this resource). */
    private static boolean bundled() {
        return PyTorchRuntime.class.getClassLoader().getResource("native/lib/pytorch.properties") != null;
    }

    private static boolean isSet(String name) {
        return System.getenv(name) != null || System.getProperty(name) != null;
    }

    private static void setIfAbsent(String name, String value) {
        if (!isSet(name)) {
            System.setProperty(name, value);
        }
    }
}
