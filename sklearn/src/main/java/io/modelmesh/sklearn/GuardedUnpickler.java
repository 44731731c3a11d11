package io.modelmesh.sklearn;

import joblib.NumpyArrayWrapper;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.objects.ClassDict;
import numpy.DType;
import numpy.core.NDArray;
import numpy.core.NDArrayUtil;
import numpy.core.Scalar;
import numpy.core.TypeDescriptor;
import org.jpmml.python.CustomUnpickler;
import org.jpmml.python.PickleUtil;
import org.jpmml.sklearn.SkLearnEncoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * jpmml-python's unpickler (razorvine's, in Java: nothing in a pickle is ever executed) with every reference to a
 * Python global checked against the registry razorvine resolves it from. Razorvine answers a global it has no
 * constructor for with a generic dictionary; this class records each such name instead, substitutes an inert
 * placeholder so reading can go on and every unknown name gets reported, and leaves the caller to refuse the file.
 * The only unregistered names let through to razorvine's generic dictionary are numpy's {@code ndarray} (see
 * {@link #FALLBACK_TYPES}) and the exact scikit-learn helper classes {@link InertSklearnTypes} lists, which
 * estimators keep as training state and jpmml never needs.
 *
 * <p>The check sits in the resolution itself ({@code GLOBAL}, {@code STACK_GLOBAL} and {@code INST} all go through one
 * method) and looks up the same map with the same key razorvine does, so it cannot disagree with what is unpickled.
 * Nested pickles are covered too: joblib stores object arrays (class names, feature names) as pickles embedded after
 * their {@link NumpyArrayWrapper}, which jpmml reads with a fresh unguarded unpickler, so they are first read here with
 * a guarded one; and an array that would decode Python objects from raw bytes (numpy never writes one) is refused.
 *
 * <p>Sizes are claims, not budgets: every opcode that declares a length (BINBYTES, BINUNICODE, BINSTRING, LONG4 and
 * their 8-byte forms) is checked against what the {@link PickleInput} can still yield and then read as the bytes arrive,
 * never into an array of the declared size; a joblib array's shape times its item size, and a numpy array's shape
 * against the bytes it carries, are checked before jpmml allocates for them. A claim that cannot fit fails with
 * {@link PickleInput.PickleTooLargeException}.
 *
 * <p>One instance reads one stream; {@code refused} is shared with the nested unpicklers of the same file.
 */
final class GuardedUnpickler extends CustomUnpickler {
    /**
     * Globals jpmml deliberately leaves to razorvine's generic fallback: numpy pickles arrays as
     * {@code _reconstruct(numpy.ndarray, (0,), b'b')}, and jpmml's NDArray recognises that first argument without a
     * registered constructor.
     */
    private static final Set<String> FALLBACK_TYPES = Set.of("numpy.ndarray");
    /**
     * The pre-0.10 joblib array wrapper reads arrays from files beside the pickle, at names the pickle chooses; jpmml
     * registers it only while its own PickleUtil.unpickle runs, and it is refused here even if registered.
     */
    private static final Set<String> REFUSED = Set.of("joblib.numpy_pickle.NDArrayWrapper",
            "sklearn.externals.joblib.numpy_pickle.NDArrayWrapper");

    private final PickleInput in;
    private final Set<String> refused;
    private final boolean readsJoblibArrays;

    private GuardedUnpickler(PickleInput in, Set<String> refused, boolean readsJoblibArrays) {
        this.in = in;
        this.refused = refused;
        this.readsJoblibArrays = readsJoblibArrays;
    }

    /**
     * Reads one pickle (or joblib file: a pickle whose array records are followed by the raw array bytes), adding the
     * name of every unknown global it references to {@code refused} in order of appearance.
     */
    static Object read(PickleInput in, Set<String> refused) throws IOException {
        Registry.ensureLoaded();
        return new GuardedUnpickler(in, refused, true).load(in);
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> resolve(PickleUtils.readline(input), PickleUtils.readline(input));
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL needs a module and a name, got " + module + " and " + name);
                }
                resolve(m, n);
            }
            case Opcodes.INST -> instantiate(PickleUtils.readline(input), PickleUtils.readline(input));
            case Opcodes.BINBYTES -> stack.add(sized(length4(), "a BINBYTES opcode"));
            case Opcodes.BINBYTES8 -> stack.add(sized(length8(), "a BINBYTES8 opcode"));
            case Opcodes.BYTEARRAY8 -> stack.add(sized(length8(), "a BYTEARRAY8 opcode"));
            case Opcodes.BINUNICODE -> stack.add(new String(sized(length4(), "a BINUNICODE opcode"),
                    StandardCharsets.UTF_8));
            case Opcodes.BINUNICODE8 -> stack.add(new String(sized(length8(), "a BINUNICODE8 opcode"),
                    StandardCharsets.UTF_8));
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(sized(length4(), "a BINSTRING opcode")));
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(sized(length4(), "a LONG4 opcode")));
            default -> {
                Object result = super.dispatch(key);
                if (result == NO_RETURN_VALUE) {
                    afterward(key);
                }
                return result;
            }
        }
        return NO_RETURN_VALUE;
    }

    /** A 4-byte little-endian length as Python writes it (unsigned). */
    private long length4() throws IOException {
        return PickleUtils.bytes_to_uint(PickleUtils.readbytes(input, 4), 0);
    }

    /** An 8-byte little-endian length; a negative value is a claim over 2^63 and is refused as such. */
    private long length8() throws IOException {
        return PickleUtils.bytes_to_long(PickleUtils.readbytes(input, 8), 0);
    }

    /**
     * The {@code size} bytes an opcode declared, refused when they cannot fit in what the stream may still yield, and
     * read as they arrive (the JDK grows the array chunk by chunk), so a false claim allocates only what is there.
     */
    private byte[] sized(long size, String holder) throws IOException {
        in.requireAvailable(size, holder);
        if (size > Integer.MAX_VALUE - 8) {
            throw new PickleInput.PickleTooLargeException(holder + " declares " + size + " bytes, more than one "
                    + "Java array holds");
        }
        byte[] data = input.readNBytes((int) size);
        if (data.length < size) {
            throw new PickleException(holder + " declares " + size + " bytes but the pickle ends after "
                    + data.length);
        }
        return data;
    }

    /** Pushes the constructor for a global, through razorvine's own lookup, or a placeholder when it is unknown. */
    private void resolve(String module, String name) throws IOException {
        stack.add(module);
        stack.add(name);
        super.dispatch(Opcodes.STACK_GLOBAL);
        String global = module + "." + name;
        if (FALLBACK_TYPES.contains(global) || InertSklearnTypes.contains(global)
                || objectConstructors.containsKey(global) && !REFUSED.contains(global)) {
            return;
        }
        refused.add(global);
        stack.pop();
        stack.add(new RefusedGlobal(module, name));
    }

    /** INST (protocol 0) is "call the global with the arguments since the mark", i.e. a resolve and a REDUCE. */
    private void instantiate(String module, String name) throws IOException {
        List<Object> args = stack.pop_all_since_marker();
        resolve(module, name);
        stack.add(args.toArray());
        dispatch(Opcodes.REDUCE);
    }

    private void afterward(short key) throws IOException {
        switch (key) {
            case Opcodes.BUILD, Opcodes.REDUCE, Opcodes.NEWOBJ, Opcodes.NEWOBJ_EX, Opcodes.OBJ, Opcodes.SETITEM,
                 Opcodes.SETITEMS -> {
                Object head = stack.peek();
                if (key == Opcodes.BUILD && head instanceof NDArray array) {
                    checkArrayData(array);
                }
                if (decodesObjectsFromBytes(head)) {
                    throw new PickleException("a numpy array of Python objects is stored as raw bytes, which numpy "
                            + "never writes");
                }
                if (key == Opcodes.BUILD && readsJoblibArrays && head instanceof NumpyArrayWrapper wrapper) {
                    stack.pop();
                    stack.add(readJoblibArray(wrapper));
                }
            }
            default -> {
                // other opcodes neither build nor change objects that hold arrays
            }
        }
    }

    /**
     * What jpmml's PickleUtil.unpickle does after a wrapper record, with object arrays vetted first and the array's
     * size (shape times item size; at least a byte per element of an object array) checked against what may follow.
     */
    private NDArray readJoblibArray(NumpyArrayWrapper wrapper) throws IOException {
        long elements = elements(wrapper.getShape(), "a joblib array");
        DType dtype = wrapper.getDType();
        long itemSize = holdsObjects(dtype) ? 1 : itemSize(dtype);
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, itemSize);
        } catch (ArithmeticException e) {
            throw new PickleInput.PickleTooLargeException("a joblib array declares " + elements + " elements of "
                    + itemSize + " bytes, more bytes than a file can hold");
        }
        in.requireAvailable(bytes, "a joblib array of " + elements + " elements");
        if (holdsObjects(dtype)) {
            vetEmbeddedPickles(wrapper);
        }
        return wrapper.toArray(input);
    }

    /**
     * A pickled numpy array (numpy's own {@code _reconstruct} and state) whose shape asks for more elements than its
     * data holds is refused before jpmml sizes a list by the shape.
     */
    private static void checkArrayData(NDArray array) throws IOException {
        Object[] shape;
        Object data;
        Object descr;
        try {
            shape = array.getShape();
            data = array.getData();
            descr = array.getDescr();
        } catch (RuntimeException e) {
            return; // not a complete array state: jpmml refuses it with its own message before sizing anything
        }
        long elements = elements(shape, "a numpy array");
        long available = switch (data) {
            case byte[] b -> b.length / Math.max(1, itemSize(descr));
            case String s -> s.length() / Math.max(1, itemSize(descr));
            case List<?> list -> list.size();
            case null, default -> elements;
        };
        if (elements > available) {
            throw new PickleInput.PickleTooLargeException("a numpy array declares " + elements + " elements but "
                    + "carries data for " + available);
        }
    }

    /** The number of elements a shape tuple declares (each dimension a non-negative integer; jpmml counts in int). */
    private static long elements(Object[] shape, String holder) throws IOException {
        long n = 1;
        for (Object d : shape == null ? new Object[0] : shape) {
            if (!(d instanceof Number dim) || dim.longValue() < 0) {
                throw new PickleException(holder + " has an invalid dimension " + d);
            }
            try {
                n = Math.multiplyExact(n, dim.longValue());
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new PickleInput.PickleTooLargeException(holder + " declares " + n + " elements, more than ModelMesh "
                    + "reads into one array");
        }
        return n;
    }

    /** Bytes per element of a plain dtype ({@code <f8}: 8), or 1 when the descriptor is not a plain one. */
    private static long itemSize(Object descr) {
        try {
            return Math.max(1, new TypeDescriptor(descr).getSize());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /**
     * Reads the pickles jpmml is about to read for an object array (the same loop as its NDArrayUtil.parseArray) with
     * guarded unpicklers, then rewinds so jpmml reads the very same bytes.
     */
    private void vetEmbeddedPickles(NumpyArrayWrapper wrapper) throws IOException {
        long length = 1;
        for (Object dimension : wrapper.getShape()) {
            length *= ((Number) dimension).longValue();
        }
        input.mark(Integer.MAX_VALUE);
        long read = 0;
        while (read < length) {
            if (!(new GuardedUnpickler(in, refused, false).load(input) instanceof NDArray array)) {
                break; // jpmml fails on it with its own message
            }
            read += NDArrayUtil.getContent(array).size();
        }
        input.reset();
    }

    private static boolean decodesObjectsFromBytes(Object o) {
        if (o instanceof NDArray array) {
            return isBytes(array.get("data")) && holdsObjects(array.get("descr"));
        }
        if (o instanceof Scalar scalar) {
            return isBytes(scalar.get("obj")) && holdsObjects(scalar.get("dtype"));
        }
        return false;
    }

    private static boolean isBytes(Object o) {
        return o instanceof byte[] || o instanceof String;
    }

    private static boolean holdsObjects(Object descr) {
        try {
            return descr != null && new TypeDescriptor(descr).isObject();
        } catch (RuntimeException e) {
            return false; // not a plain descriptor (a record dtype, or garbage): jpmml never decodes objects from it
        }
    }

    /** Stands in for a refused global: accepts any arguments and builds an inert dictionary, so reading goes on. */
    private record RefusedGlobal(String module, String name) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return new ClassDict(module, name);
        }
    }

    /**
     * The registry of known globals: jpmml-python's and jpmml-sklearn's class maps, loaded once. Razorvine keeps it in
     * a plain static HashMap, so it must be complete before any thread reads a pickle: SkLearnEncoder's static block,
     * which repeats the sklearn2pmml registration and adds the numpy record types sklearn trees use, runs here too
     * rather than on the first conversion (while another thread may be unpickling).
     */
    private static final class Registry {
        static {
            ClassLoader loader = SkLearnEncoder.class.getClassLoader();
            PickleUtil.init(loader, "python2pmml.properties");
            PickleUtil.init(loader, "sklearn2pmml.properties");
            try {
                Class.forName(SkLearnEncoder.class.getName(), true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("jpmml-sklearn is not on the class path", e);
            }
        }

        static void ensureLoaded() {
            // the static initialiser does the work, once, under the JVM's class-initialisation lock
        }
    }
}
