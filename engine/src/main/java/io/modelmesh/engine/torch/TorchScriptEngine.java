package io.modelmesh.engine.torch;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.InferenceEngine;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch adapter for TorchScript files (what {@code torch.jit.save} writes), through DJL's PyTorch engine and the
 * libtorch bundled in the pytorch-native-cpu jar: nothing is downloaded, and libtorch starts on the first
 * {@link #load}, not here (see {@link PyTorchRuntime}).
 *
 * <p>A module serves tabular rows: its {@code forward} takes one float32 tensor [rows, width] and returns a tensor, a
 * tuple or list of tensors, or a {@code Dict[str, Tensor]} (see {@link OutputLayout} for the names). TorchScript
 * records no input shapes, so the width is the number of feature names given at registration or, without them, the
 * input size of the module's first 2-D floating parameter (the weight [out, in] of a leading {@code Linear}). Either
 * way the load runs {@code forward} once on a zero batch of two rows, which proves the width, yields the outputs'
 * names, dtypes and shapes for the schema, and checks that every output's first dimension follows the batch (with one
 * row a size-1 dimension could not be told from the batch). Modules are loaded onto the CPU in eval mode and run
 * without gradients; a file libtorch cannot open is an {@link InvalidModelException}, an error raised by a running
 * module an {@code InferenceException}, both carrying torch's error line rather than its traceback.
 *
 * <p>libtorch is process-wide: a second engine in the same process shares the first one's libtorch, whose thread
 * settings were fixed when it started. Models are safe for concurrent calls (see {@link TorchScriptModel}).
 */
public final class TorchScriptEngine implements InferenceEngine {
    private static final int PROBE_ROWS = 2;
    private static final String UNKNOWN_WIDTH = "cannot tell the input width of this TorchScript module; register it "
            + "with --features naming its input columns";

    private final PyTorchRuntime runtime;

    public TorchScriptEngine(EngineConfig config) {
        this.runtime = new PyTorchRuntime(config);
    }

    @Override
    public Framework framework() {
        return Framework.TORCHSCRIPT;
    }

    @Override
    public LoadedModel load(Path artifact, List<String> features) throws InvalidModelException {
        PtNDManager manager = runtime.manager().newSubManager(Device.cpu());
        try {
            PtSymbolBlock module = open(manager, artifact);
            return describe(manager, module, features);
        } catch (InvalidModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static PtSymbolBlock open(PtNDManager manager, Path artifact) throws InvalidModelException {
        try {
            PtSymbolBlock module = JniUtils.loadModule(manager, artifact, true, new String[0], new String[0], false);
            JniUtils.enableInferenceMode(module);
            return module;
        } catch (EngineException e) {
            throw new InvalidModelException("not a TorchScript module (torch.jit.save output): " + TorchErrors.reason(e), e);
        }
    }

    private static TorchScriptModel describe(PtNDManager manager, PtSymbolBlock module, List<String> features)
            throws InvalidModelException {
        try (PtNDManager scope = manager.newSubManager(Device.cpu())) {
            Width width = features.isEmpty() ? Width.fromParameters(module, scope)
                    : new Width(features.size(), "one per feature name given", false);
            PtNDArray zeros = (PtNDArray) scope.zeros(new Shape(PROBE_ROWS, width.values()), DataType.FLOAT32);
            try (IValue in = IValue.from(zeros); IValue result = probe(module, in, width)) {
                OutputLayout layout = OutputLayout.of(result);
                List<PtNDArray> tensors = layout.tensors(result, scope);
                List<TensorSpec> outputs = new ArrayList<>(tensors.size());
                for (int i = 0; i < tensors.size(); i++) {
                    outputs.add(Tensors.spec(layout.names().get(i), tensors.get(i), PROBE_ROWS));
                }
                TensorSpec input = new TensorSpec("input", "FP32", List.of(-1L, (long) width.values()));
                ModelSchema schema = new ModelSchema(List.of(input), outputs, features);
                return new TorchScriptModel(manager, module, width.values(), layout, schema);
            }
        }
    }

    private static IValue probe(PtSymbolBlock module, IValue in, Width width) throws InvalidModelException {
        try {
            return module.forward(in);
        } catch (EngineException e) {
            String reason = TorchErrors.reason(e);
            throw new InvalidModelException(width.inferred()
                    ? UNKNOWN_WIDTH + " (rows of " + width.values() + " values, " + width.source() + ", fail: " + reason + ")"
                    : "the TorchScript module fails on rows of " + width.values() + " values (" + width.source() + "): "
                    + reason, e);
        }
    }

    /** Values per input row, and where that number came from (for messages). */
    private record Width(int values, String source, boolean inferred) {

        /** The input size of the first 2-D floating parameter in the module's order: a leading Linear's [out, in]. */
        static Width fromParameters(PtSymbolBlock module, PtNDManager scope) throws InvalidModelException {
            for (NDArray p : JniUtils.moduleGetParams(module, scope)) {
                Shape shape = p.getShape();
                if (shape.dimension() == 2 && p.getDataType().isFloating() && shape.get(1) > 0) {
                    return new Width(Math.toIntExact(shape.get(1)), "the input size of parameter '" + p.getName() + "'",
                            true);
                }
            }
            throw new InvalidModelException(UNKNOWN_WIDTH + " (it has no 2-D floating parameter to read it from)");
        }
    }
}
