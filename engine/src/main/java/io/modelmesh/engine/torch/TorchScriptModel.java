package io.modelmesh.engine.torch;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded TorchScript module serving one float32 input [rows, width].
 *
 * <p><b>Concurrency: one shared module, no lock around {@code forward}.</b> A call goes through
 * {@link PtSymbolBlock#forward(IValue...)}: one native call that runs the module's {@code forward} method with
 * gradients off for its own duration (outputs never require grad, whatever the calling thread's grad mode), and that
 * touches none of the block's Java state (the {@code first} flag and the input/output descriptions of
 * {@code PtSymbolBlock} belong to its {@code NDList} path, which this class does not use). libtorch's TorchScript
 * interpreter runs one method from many threads at once: the graph executor guards its one-time optimisation of the
 * graph with its own mutex, and the parameters are only read; DJL serves a model from many predictors the same way. A
 * pool of module copies would multiply the memory for no gain, and a lock would serialise the node. (A module whose
 * forward assigns to its own attributes would race with itself; such stateful modules are not served.) Each call owns
 * everything it allocates: its input and output tensors hang from a sub-manager closed when the call returns and its
 * {@code IValue}s are closed explicitly, so nothing native outlives a call and no buffer is shared between callers.
 *
 * <p>The only lock is a read-write lock taken shared by every call and exclusively by {@link #close}: a module cannot
 * be freed under a running call, and a call after {@code close} fails with {@link IllegalStateException} instead of
 * touching freed memory.
 */
final class TorchScriptModel implements LoadedModel {
    private final PtNDManager manager;
    private final PtSymbolBlock module;
    private final int width;
    private final OutputLayout layout;
    private final ModelSchema schema;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    TorchScriptModel(PtNDManager manager, PtSymbolBlock module, int width, OutputLayout layout, ModelSchema schema) {
        this.manager = manager;
        this.module = module;
        this.width = width;
        this.layout = layout;
        this.schema = schema;
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public int rowWidth() {
        return width;
    }

    @Override
    public BatchResult predict(FloatBatch batch) {
        if (batch.cols() != width) {
            throw new InvalidInputException("rows have " + batch.cols() + " values; the model takes " + width);
        }
        Lock shared = lifecycle.readLock();
        shared.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the TorchScript model has been closed");
            }
            return run(batch);
        } finally {
            shared.unlock();
        }
    }

    private BatchResult run(FloatBatch batch) {
        int rows = batch.rows();
        try (PtNDManager scope = manager.newSubManager(Device.cpu())) {
            List<PtNDArray> tensors = forward(scope, batch.values(), rows);
            List<TensorSpec> specs = schema.outputs();
            List<OutputTensor> outputs = new ArrayList<>(specs.size());
            for (int i = 0; i < specs.size(); i++) {
                outputs.add(Tensors.copy(specs.get(i), tensors.get(i), rows));
            }
            return new BatchResult(outputs);
        }
    }

    /**
     * One forward over the rows as a [rows, width] tensor. The input is an uninitialised tensor libtorch allocates and
     * owns, filled through a direct buffer over its memory: one copy from the request's array, and nothing the module
     * might keep a reference to is ever reused by another call.
     */
    private List<PtNDArray> forward(PtNDManager scope, float[] values, int rows) {
        PtNDArray input = scope.create(new Shape(rows, width), DataType.FLOAT32);
        input.toByteBuffer(true).asFloatBuffer().put(values, 0, rows * width);
        try (IValue in = IValue.from(input); IValue result = module.forward(in)) {
            return layout.tensors(result, scope);
        } catch (EngineException e) {
            throw new InferenceException("PyTorch failed: " + TorchErrors.reason(e), e);
        }
    }

    /** Frees the module and its memory; waits for calls in progress. Further calls fail. */
    @Override
    public void close() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (!closed) {
                closed = true;
                manager.close(); // frees the module, which DJL attached to this manager, and anything left on it
            }
        } finally {
            exclusive.unlock();
        }
    }
}
