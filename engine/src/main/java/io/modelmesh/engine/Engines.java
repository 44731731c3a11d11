package io.modelmesh.engine;

import io.modelmesh.api.Framework;
import io.modelmesh.engine.onnx.OnnxEngine;
import io.modelmesh.engine.pmml.PmmlEngine;
import io.modelmesh.engine.torch.TorchScriptEngine;

import java.util.EnumMap;
import java.util.Map;

/** The engines a process has, by framework. */
public final class Engines {
    private final Map<Framework, InferenceEngine> byFramework;

    private Engines(Map<Framework, InferenceEngine> byFramework) {
        this.byFramework = Map.copyOf(byFramework);
    }

    /**
     * Every engine this build ships. A scikit-learn version is served from the PMML converted from its pickle at
     * registration (nodes never receive the pickle), so SKLEARN maps to the PMML engine. PyTorch starts on its first
     * load, not here.
     */
    public static Engines create(EngineConfig config) {
        Map<Framework, InferenceEngine> m = new EnumMap<>(Framework.class);
        m.put(Framework.ONNX, new OnnxEngine(config));
        m.put(Framework.TORCHSCRIPT, new TorchScriptEngine(config));
        PmmlEngine pmml = new PmmlEngine();
        m.put(Framework.PMML, pmml);
        m.put(Framework.SKLEARN, pmml);
        return new Engines(m);
    }

    /**
     * The engine for a framework.
     *
     * @throws InvalidModelException when this build has no engine for it
     */
    public InferenceEngine forFramework(Framework framework) throws InvalidModelException {
        InferenceEngine e = byFramework.get(framework);
        if (e == null) {
            throw new InvalidModelException("framework '" + framework.wireName() + "' is not served by this build "
                    + "(available: " + byFramework.keySet().stream().map(Framework::wireName).toList() + ")");
        }
        return e;
    }
}
