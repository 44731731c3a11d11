package io.modelmesh.dataplane.inference;

import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.LoadedModel;

import java.util.HashMap;
import java.util.Map;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model shared by routing revisions and in-flight requests. The owner (the applier) holds one reference;
 * each request holds one while it runs. {@link #retire()} drops the owner's reference, so the native model is closed
 * when the last in-flight request releases it — never under a running inference.
 */
public final class ModelHandle {
    private final String key;
    private final LoadedModel model;
    private final InputBinding binding;
    private final Map<String, String[]> outputLabels;
    private final AtomicInteger refs = new AtomicInteger(1);

    public ModelHandle(String key, LoadedModel model) {
        this.key = key;
        this.model = model;
        this.binding = InputBinding.of(model);
        Map<String, String[]> labels = new HashMap<>();
        for (TensorSpec output : model.schema().outputs()) {
            if (!output.labels().isEmpty()) {
                labels.put(output.name(), output.labels().toArray(String[]::new));
            }
        }
        this.outputLabels = Map.copyOf(labels);
    }

    /**
     * Names of the entries along an output's last dimension (a classifier's class names for its probabilities), or
     * null when the model does not name them.
     */
    public String[] outputLabels(String output) {
        return outputLabels.get(output);
    }

    /** How request rows bind to this model's input. */
    public InputBinding binding() {
        return binding;
    }

    /** Identity of the loaded artifact: sha256 plus the feature names bound to it. */
    public String key() {
        return key;
    }

    /** The model, for a caller that holds a reference. */
    public LoadedModel model() {
        return model;
    }

    /** Takes a reference; false when the handle was already closed (the caller re-reads the routing table). */
    public boolean acquire() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        if (refs.decrementAndGet() == 0) {
            model.close();
        }
    }

    /** Drops the owner's reference: closes now if idle, else when the last request releases. */
    public void retire() {
        release();
    }

    public boolean isClosed() {
        return refs.get() <= 0;
    }
}
