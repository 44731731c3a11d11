package io.modelmesh.dataplane.http;

import io.modelmesh.dataplane.inference.InputBinding;
import io.modelmesh.dataplane.inference.ParsedInput;
import io.modelmesh.dataplane.inference.RowParser;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing of the two parsers that read prediction bodies (rows and OIP v2 tensors): whatever a client
 * sends, the parser answers rows that fit the model or an {@link InvalidInputException} (a 400 with a message), never
 * any other exception — an {@code ArithmeticException}, an {@code ArrayIndexOutOfBounds} or an
 * {@code OutOfMemoryError} would be a 500 or a dead node.
 * <p>
 * Three kinds of input: JSON built from the grammar the parsers expect, with every field drawn from values that are
 * near misses (huge shapes, negative numbers, NaN spelled as strings, deep nesting, wrong types); the same documents
 * cut and spliced at random byte positions; and random bytes.
 */
class InputParserFuzzTest {
    private static final int MAX_ROWS = 64;
    private static final InputBinding NAMED = new InputBinding("input", 3, List.of("a", "b", "c"),
            Map.of("a", 0, "b", 1, "c", 2));
    private static final InputBinding WIDTH_ONLY = new InputBinding("input", 4, List.of(), Map.of());
    private static final InputBinding ANY_WIDTH = new InputBinding("input", -1, List.of(), Map.of());
    private static final List<InputBinding> BINDINGS = List.of(NAMED, WIDTH_ONLY, ANY_WIDTH);

    @Property
    void rowBodiesGiveRowsOrA400(@ForAll("rowBodies") String body, @ForAll("bindings") InputBinding binding) {
        check(binding, () -> RowParser.parse(bytes(body), binding, MAX_ROWS));
    }

    @Property
    void mangledRowBodiesGiveRowsOrA400(@ForAll("mangledRowBodies") byte[] body,
                                        @ForAll("bindings") InputBinding binding) {
        check(binding, () -> RowParser.parse(body, binding, MAX_ROWS));
    }

    @Property(tries = 300)
    void randomBytesGiveA400(@ForAll byte[] body, @ForAll("bindings") InputBinding binding) {
        check(binding, () -> RowParser.parse(body, binding, MAX_ROWS));
        check(binding, () -> OipCodec.parse(OipCodec.tree(body), binding, MAX_ROWS));
    }

    @Property
    void oipBodiesGiveRowsOrA400(@ForAll("oipBodies") String body, @ForAll("bindings") InputBinding binding) {
        check(binding, () -> OipCodec.parse(OipCodec.tree(bytes(body)), binding, MAX_ROWS));
    }

    @Property
    void mangledOipBodiesGiveRowsOrA400(@ForAll("mangledOipBodies") byte[] body,
                                        @ForAll("bindings") InputBinding binding) {
        check(binding, () -> OipCodec.parse(OipCodec.tree(body), binding, MAX_ROWS));
    }

    /** The answer's rows fit the model and the limit; a refusal is a 400 with something to say. */
    private static void check(InputBinding binding, Supplier<ParsedInput> parse) {
        ParsedInput parsed;
        try {
            parsed = parse.get();
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a 400 must say what to fix");
            return;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("the parser threw " + e + " instead of answering 400", e);
            return;
        }
        FloatBatch b = parsed.batch();
        assertTrue(b.rows() >= 1 && b.rows() <= MAX_ROWS, "rows within the limit: " + b.rows());
        if (binding.rowWidth() > 0) {
            assertEquals(binding.rowWidth(), b.cols(), "every row has the model's width");
        }
        assertTrue(b.values().length >= (long) b.rows() * b.cols(), "values hold rows x cols (FloatBatch's contract)");
    }

    @Provide
    Arbitrary<InputBinding> bindings() {
        return Arbitraries.of(BINDINGS);
    }

    @Provide
    Arbitrary<String> rowBodies() {
        Arbitrary<String> row = Arbitraries.oneOf(numberList(), featureObject(), json(3));
        Arbitrary<String> rows = row.list().ofMaxSize(70).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> key = Arbitraries.of("inputs", "instances", "inputs", "instances", "id", "parameters", "");
        Arbitrary<String> value = Arbitraries.oneOf(row, rows, json(4));
        Arbitrary<String> field = Combinators.combine(key, value).as((k, v) -> quote(k) + ":" + v);
        return field.list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
    }

    @Provide
    Arbitrary<byte[]> mangledRowBodies() {
        return mangle(rowBodies());
    }

    @Provide
    Arbitrary<String> oipBodies() {
        Arbitrary<String> name = Arbitraries.of("a", "b", "c", "input", "x", "", "a\u0000");
        Arbitrary<String> dim = Arbitraries.oneOf(
                Arbitraries.integers().between(-2, 8).map(String::valueOf),
                Arbitraries.of("4611686018427387904", "9223372036854775807", "-9223372036854775808",
                        "2147483648", "1e9", "1.5", "\"3\"", "null"));
        Arbitrary<String> shape = Arbitraries.oneOf(
                dim.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"), json(2));
        Arbitrary<String> datatype = Arbitraries.of("FP32", "FP64", "INT64", "UINT8", "BOOL", "BYTES", "FP16",
                "fp32", "", "1");
        Arbitrary<String> data = Arbitraries.oneOf(numberList(), numberList().list().ofMaxSize(8)
                .map(l -> "[" + String.join(",", l) + "]"), json(4));
        Arbitrary<String> tensor = Combinators.combine(name, shape, datatype, data)
                .as((n, s, t, d) -> "{\"name\":" + quote(n) + ",\"shape\":" + s + ",\"datatype\":" + quote(t)
                        + ",\"data\":" + d + "}");
        Arbitrary<String> inputs = Arbitraries.oneOf(
                tensor.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]"), json(3));
        Arbitrary<String> outputs = Arbitraries.oneOf(Arbitraries.just("[{\"name\":\"label\"}]"), json(2));
        return Combinators.combine(inputs, outputs, Arbitraries.of(true, false))
                .as((in, out, withOut) -> "{\"id\":\"r\",\"inputs\":" + in + (withOut ? ",\"outputs\":" + out : "")
                        + "}");
    }

    @Provide
    Arbitrary<byte[]> mangledOipBodies() {
        return mangle(oipBodies());
    }

    /** Numbers in every spelling JSON allows, and some it does not. */
    private static Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.floats().map(f -> Float.isFinite(f) ? String.valueOf(f) : "\"" + f + "\""),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("1e400", "-1e400", "1e-400", "NaN", "\"NaN\"", "Infinity", "-0", "0.0e0", "1" + "0"
                        .repeat(63), "1" + "0".repeat(65), "true", "null", "\"5.1\"", "[]", "{}"));
    }

    private static Arbitrary<String> numberList() {
        return number().list().ofMaxSize(9).map(l -> "[" + String.join(",", l) + "]");
    }

    private static Arbitrary<String> featureObject() {
        Arbitrary<String> key = Arbitraries.of("a", "b", "c", "d", "A", "", "a ");
        return Combinators.combine(key, number()).as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(5)
                .map(l -> "{" + String.join(",", l) + "}");
    }

    /** Any JSON value up to a depth (nesting past the parsers' limit of 16 included, as a string of brackets). */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(number(), Arbitraries.strings().ofMaxLength(8).map(s -> quote(s)),
                Arbitraries.integers().between(15, 40).map(n -> "[".repeat(n) + "]".repeat(n)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> inner = json(depth - 1);
        return Arbitraries.oneOf(leaf,
                inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6), inner)
                        .as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(3)
                        .map(l -> "{" + String.join(",", l) + "}"));
    }

    /** A document cut short, with bytes changed or spliced in at random positions. */
    private static Arbitrary<byte[]> mangle(Arbitrary<String> documents) {
        return Combinators.combine(documents, Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1)
                        .ofMaxSize(4), Arbitraries.bytes().list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 2))
                .as((doc, positions, inserted, how) -> {
                    byte[] b = bytes(doc);
                    if (b.length == 0) {
                        return b;
                    }
                    for (int i = 0; i < positions.size(); i++) {
                        int at = positions.get(i) % b.length;
                        byte v = inserted.get(i % inserted.size());
                        switch (how) {
                            case 0 -> b[at] = v;
                            case 1 -> b = java.util.Arrays.copyOf(b, Math.max(1, at));
                            default -> {
                                byte[] longer = new byte[b.length + 1];
                                System.arraycopy(b, 0, longer, 0, at);
                                longer[at] = v;
                                System.arraycopy(b, at, longer, at + 1, b.length - at);
                                b = longer;
                            }
                        }
                    }
                    return b;
                });
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
