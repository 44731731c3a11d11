package io.modelmesh.engine.validate;

import io.modelmesh.api.Framework;
import io.modelmesh.engine.EngineConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads, warms and reads the schema of one untrusted artifact where it cannot hurt the caller: in a child JVM that does
 * only that and exits, bounded in time and resident memory ({@link ValidationLimits}). ONNX Runtime and libtorch run
 * native code and allocate outside the Java heap, and TorchScript is code: a thread in the server's own process could
 * be neither stopped nor bounded, a process can be killed.
 */
public interface ModelValidator extends AutoCloseable {

    /**
     * A validator that runs each job in a fresh child JVM on the caller's class path, keeping one spare child started
     * and waiting so that registration does not wait for a JVM to start.
     *
     * @param limits  time and memory each validation may use
     * @param engines the engine settings the child loads models with (threads, native library cache)
     * @param workDir the child's working directory and where its launch file is written (created if missing)
     */
    static ModelValidator childProcess(ValidationLimits limits, EngineConfig engines, Path workDir) {
        return ChildProcessValidator.start(limits, engines, workDir);
    }

    /**
     * Validates one artifact; blocks for at most about the time limit (plus a wait for a free slot, also bounded by it).
     *
     * @param features feature names given for the model (may be empty)
     */
    Verdict validate(Framework framework, Path artifact, List<String> features);

    ValidationLimits limits();

    /** Stops the spare child and any running validation. */
    @Override
    void close();
}
