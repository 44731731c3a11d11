package io.modelmesh.engine.torch;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How a module's {@code forward} hands back its tensors, and the names they are served under: a
 * {@code Dict[str, Tensor]} gives its keys in the dict's order, a single tensor is {@code output}, a tuple or list of
 * tensors gives {@code output_0}, {@code output_1} ... Read once from the probe call at load; every prediction is then
 * unpacked the same way and must come back in the same form.
 */
final class OutputLayout {
    private static final String SERVED = "ModelMesh serves TorchScript modules whose forward returns a tensor, a tuple "
            + "or list of tensors, or a Dict[str, Tensor]";

    private enum Kind { TENSOR, DICT, SEQUENCE }

    private final Kind kind;
    private final List<String> names;

    private OutputLayout(Kind kind, List<String> names) {
        this.kind = kind;
        this.names = List.copyOf(names);
    }

    /** The layout of a forward result. */
    static OutputLayout of(IValue result) throws InvalidModelException {
        String type = result.getType();
        if (result.isTensor()) {
            return new OutputLayout(Kind.TENSOR, List.of("output"));
        }
        if (result.isMap()) {
            if (!"Dict(str, Tensor)".equals(type)) {
                throw new InvalidModelException("the module's forward returns " + type + "; " + SERVED);
            }
            List<String> keys = DictKeys.of(result);
            if (keys.isEmpty()) {
                throw new InvalidModelException("the module's forward returned an empty dict; " + SERVED);
            }
            return new OutputLayout(Kind.DICT, keys);
        }
        if (result.isTuple() || result.isList()) {
            IValue[] items = result.isTuple() ? result.toIValueTuple() : result.toIValueArray();
            try {
                for (IValue item : items) {
                    if (!item.isTensor()) {
                        throw new InvalidModelException("the module's forward returns " + type + "; " + SERVED);
                    }
                }
            } finally {
                closeAll(items);
            }
            if (items.length == 0) {
                throw new InvalidModelException("the module's forward returned no tensors; " + SERVED);
            }
            return new OutputLayout(Kind.SEQUENCE, IntStream.range(0, items.length).mapToObj(i -> "output_" + i).toList());
        }
        throw new InvalidModelException("the module's forward returns " + type + "; " + SERVED);
    }

    /** Output names in order. */
    List<String> names() {
        return names;
    }

    /** The tensors of one forward result in {@link #names()} order, owned by {@code scope}. */
    List<PtNDArray> tensors(IValue result, PtNDManager scope) {
        return switch (kind) {
            case TENSOR -> {
                if (!result.isTensor()) {
                    throw changed(result);
                }
                yield List.of(result.toTensor(scope));
            }
            case DICT -> fromDict(result, scope);
            case SEQUENCE -> fromSequence(result, scope);
        };
    }

    private List<PtNDArray> fromDict(IValue result, PtNDManager scope) {
        if (!result.isMap()) {
            throw changed(result);
        }
        Map<String, IValue> entries = result.toIValueMap();
        try {
            List<PtNDArray> out = new ArrayList<>(names.size());
            for (String name : names) {
                IValue v = entries.get(name);
                if (v == null || !v.isTensor() || entries.size() != names.size()) {
                    throw changed(result);
                }
                out.add(v.toTensor(scope));
            }
            return out;
        } finally {
            entries.values().forEach(IValue::close);
        }
    }

    private List<PtNDArray> fromSequence(IValue result, PtNDManager scope) {
        if (!result.isTuple() && !result.isList()) {
            throw changed(result);
        }
        IValue[] items = result.isTuple() ? result.toIValueTuple() : result.toIValueArray();
        try {
            if (items.length != names.size()) {
                throw changed(result);
            }
            List<PtNDArray> out = new ArrayList<>(items.length);
            for (IValue item : items) {
                if (!item.isTensor()) {
                    throw changed(result);
                }
                out.add(item.toTensor(scope));
            }
            return out;
        } finally {
            closeAll(items);
        }
    }

    private InferenceException changed(IValue result) {
        return new InferenceException("the module's forward returned " + result.getType() + " where it returned "
                + names.size() + " tensor(s) " + names + " when loaded", null);
    }

    private static void closeAll(IValue[] items) {
        for (IValue item : items) {
            item.close();
        }
    }
}
