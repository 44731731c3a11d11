package io.modelmesh.engine.torch;

import ai.djl.pytorch.jni.IValue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys of a {@code Dict[str, Tensor]} in the dict's own order. TorchScript dicts keep insertion order, so a
 * module returning {@code {"logits": ..., "probabilities": ...}} means that order, but DJL's public
 * {@link IValue#toIValueMap()} puts the entries in a {@code ConcurrentHashMap} and loses it. The ordered entries are
 * what DJL's package-private native call {@code PyTorchLibrary.iValueToMap} returns, so this reads them through
 * reflection, once per model at load time (predictions then look outputs up by name through the public API). DJL sits
 * on the class path, where reflection into it needs no JVM flag; should a later DJL move or seal that call, the keys
 * fall back to alphabetical order, which is still stable from load to load.
 */
final class DictKeys {
    private static final Access ACCESS = Access.find();

    private DictKeys() {
    }

    /** The dict's keys in insertion order (alphabetical when DJL's ordered accessor cannot be reached). */
    static List<String> of(IValue dict) {
        if (ACCESS != null) {
            try {
                return ACCESS.orderedKeys(dict);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to the public, unordered accessor
            }
        }
        Map<String, IValue> map = dict.toIValueMap();
        map.values().forEach(IValue::close);
        return map.keySet().stream().sorted().toList();
    }

    private record Access(Object library, Method toMap, Constructor<IValue> wrap) {
        static Access find() {
            try {
                Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
                Field instance = lib.getDeclaredField("LIB");
                instance.setAccessible(true);
                Method toMap = lib.getDeclaredMethod("iValueToMap", long.class);
                toMap.setAccessible(true);
                Constructor<IValue> wrap = IValue.class.getDeclaredConstructor(long.class);
                wrap.setAccessible(true);
                return new Access(instance.get(null), toMap, wrap);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        /** Handles come back as key, value, key, value ...; each is a new IValue this must free. */
        List<String> orderedKeys(IValue dict) throws ReflectiveOperationException {
            long[] handles;
            try {
                handles = (long[]) toMap.invoke(library, dict.getHandle());
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
            List<String> keys = new ArrayList<>(handles.length / 2);
            for (int i = 0; i + 1 < handles.length; i += 2) {
                try (IValue key = wrap.newInstance(handles[i]); IValue value = wrap.newInstance(handles[i + 1])) {
                    keys.add(key.toStringValue());
                }
            }
            return keys;
        }
    }
}
