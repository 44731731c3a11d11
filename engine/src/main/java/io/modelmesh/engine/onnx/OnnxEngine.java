package io.modelmesh.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.InferenceEngine;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.Messages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ONNX Runtime adapter. Serves models with one float input of shape [batch, d1, d2, ...] (a row is the d1*d2*...
 * values, fed through a direct buffer); input and output names and shapes come from the model itself. A model that
 * keeps any tensor in external data is refused before ONNX Runtime opens it (see {@link ExternalData}): the runtime
 * would read that tensor from a path the file chooses.
 */
public final class OnnxEngine implements InferenceEngine {
    private final EngineConfig config;

    public OnnxEngine(EngineConfig config) {
        this.config = config;
    }

    @Override
    public Framework framework() {
        return Framework.ONNX;
    }

    @Override
    public LoadedModel load(Path artifact, List<String> features) throws InvalidModelException {
        refuseExternalData(artifact);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(artifact.toString(), options);
        } catch (OrtException e) {
            throw new InvalidModelException("not a valid ONNX model: " + Messages.firstLine(e), e);
        }
        try {
            return describe(env, session, features);
        } catch (InvalidModelException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        } catch (OrtException e) {
            closeQuietly(session);
            throw new InvalidModelException("cannot read the ONNX model's inputs and outputs: " + Messages.firstLine(e), e);
        }
    }

    private static void refuseExternalData(Path artifact) throws InvalidModelException {
        Optional<ExternalData.Reference> external;
        try {
            external = ExternalData.find(artifact);
        } catch (ExternalData.TooDeepException e) {
            throw new InvalidModelException("not a valid ONNX model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("not a valid ONNX model: cannot read " + Messages.firstLine(e), e);
        }
        if (external.isPresent()) {
            ExternalData.Reference r = external.get();
            throw new InvalidModelException("the ONNX model keeps tensor '" + r.tensor() + "' in external data"
                    + (r.location().isEmpty() ? "" : " (location '" + r.location() + "')") + "; ModelMesh serves only "
                    + "self-contained ONNX files, since ONNX Runtime would read that data from a path the file names. "
                    + "Save the model with its weights inside: onnx.save_model(model, path, save_as_external_data=False) "
                    + "after onnx.load(path) with the data beside it (models over 2 GB cannot be self-contained)");
        }
    }

    private static OnnxModel describe(OrtEnvironment env, OrtSession session, List<String> features)
            throws OrtException, InvalidModelException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new InvalidModelException("the ONNX model has " + inputs.size() + " inputs " + inputs.keySet()
                    + "; ModelMesh serves ONNX models with exactly one float input tensor [batch, features...]");
        }
        NodeInfo in = inputs.values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
            throw new InvalidModelException("the ONNX model's input '" + in.getName() + "' is " + describeType(in.getInfo())
                    + "; ModelMesh serves ONNX models whose input is a float32 tensor [batch, features...]");
        }
        long[] shape = ti.getShape();
        if (shape.length < 2) {
            throw new InvalidModelException("the ONNX model's input '" + in.getName() + "' has shape "
                    + Arrays.toString(shape) + "; expected [batch, features...] (rank 2 or more)");
        }
        int width = 1;
        for (int i = 1; i < shape.length; i++) {
            width = shape[i] > 0 && width > 0 ? width * (int) shape[i] : -1;
        }
        if (width > 0 && !features.isEmpty() && features.size() != width) {
            throw new InvalidModelException(features.size() + " feature names were given but the ONNX model's input '"
                    + in.getName() + "' takes " + width + " values per row");
        }
        if (width < 0 && shape.length > 2) {
            throw new InvalidModelException("the ONNX model's input '" + in.getName() + "' has dynamic non-batch dimensions "
                    + Arrays.toString(shape) + "; fix them when exporting so rows have a known size");
        }
        List<TensorSpec> outputs = new ArrayList<>();
        for (NodeInfo out : session.getOutputInfo().values()) {
            if (out.getInfo() instanceof TensorInfo oi) {
                outputs.add(spec(out.getName(), oi));
            }
        }
        if (outputs.isEmpty()) {
            throw new InvalidModelException("the ONNX model has no tensor outputs; ModelMesh returns tensor outputs");
        }
        ModelSchema schema = new ModelSchema(List.of(spec(in.getName(), ti)), outputs, features);
        return new OnnxModel(env, session, in.getName(), shape, width, schema);
    }

    static TensorSpec spec(String name, TensorInfo info) {
        List<Long> dims = new ArrayList<>();
        for (long d : info.getShape()) {
            dims.add(d < 0 ? -1L : d);
        }
        return new TensorSpec(name, OnnxModel.datatype(info.type), dims);
    }

    private static String describeType(ValueInfo info) {
        return info instanceof TensorInfo t ? "a " + t.type + " tensor" : "not a tensor (" + info + ")";
    }


    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the session is being discarded after a failed load; nothing more to release
        }
    }
}
