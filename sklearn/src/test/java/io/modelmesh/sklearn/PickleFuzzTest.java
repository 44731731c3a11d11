package io.modelmesh.sklearn;

import io.modelmesh.engine.InvalidModelException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing of the pickle/joblib path uploads take (the guarded unpickler, then the conversion to PMML):
 * any file gives a conversion or an {@link InvalidModelException} (a 400 that says the file is not a usable model),
 * never another exception, whatever its bytes — with a small inflation limit, so a file that declares or inflates to
 * more data is refused rather than allocated.
 * <p>
 * Inputs: the committed scikit-learn fixtures with bytes changed, cut or spliced in (so most tries get deep into a real
 * estimator's state before something is off), and a protocol header followed by random opcodes.
 */
class PickleFuzzTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final List<byte[]> SEEDS = seeds("iris_logreg.pkl", "iris_logreg.joblib", "iris_knn_weighted.pkl");
    private static final long MAX_BYTES = 1 << 20;
    private static final Path DIR = tempDir();

    private final SklearnConverter converter = new SklearnConverter(MAX_BYTES);

    @Property(tries = 1000)
    void mangledFixturesConvertOrAreRefused(@ForAll("mangledFixtures") byte[] pickle) {
        convert(pickle);
    }

    @Property(tries = 400)
    void randomOpcodesAreRefused(@ForAll("randomOpcodes") byte[] pickle) {
        convert(pickle);
    }

    private void convert(byte[] pickle) {
        Path in = null;
        Path out = null;
        try {
            in = Files.createTempFile(DIR, "fuzz", ".pkl");
            out = DIR.resolve(in.getFileName() + ".pmml");
            Files.write(in, pickle);
            Conversion c = converter.convert(in, List.of(), out);
            assertTrue(Files.size(c.pmml()) > 0, "a conversion writes a PMML file");
        } catch (InvalidModelException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal says why");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("the pickle path threw " + e + " instead of refusing the file", e);
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
        }
    }

    @Provide
    Arbitrary<byte[]> mangledFixtures() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) 0, (byte) 0xff, (byte) 0x7f, (byte) 0x80, (byte) '.', (byte) 'q', (byte) 'h',
                        (byte) 'R', (byte) 'b', (byte) 'c', (byte) 0x93, (byte) 0x95));
        Arbitrary<Integer> how = Arbitraries.integers().between(0, 2);
        Arbitrary<List<Integer>> positions = position.list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(Arbitraries.of(SEEDS), positions, value.list().ofMinSize(1).ofMaxSize(6), how)
                .as((seed, at, values, kind) -> {
                    byte[] b = seed.clone();
                    for (int i = 0; i < at.size(); i++) {
                        int p = at.get(i) % b.length;
                        byte v = values.get(i % values.size());
                        b = switch (kind) {
                            case 0 -> {
                                b[p] = v;
                                yield b;
                            }
                            case 1 -> Arrays.copyOf(b, Math.max(1, p));
                            default -> {
                                byte[] longer = new byte[b.length + 1];
                                System.arraycopy(b, 0, longer, 0, p);
                                longer[p] = v;
                                System.arraycopy(b, p, longer, p + 1, b.length - p);
                                yield longer;
                            }
                        };
                    }
                    return b;
                });
    }

    @Provide
    Arbitrary<byte[]> randomOpcodes() {
        // opcodes a scikit-learn pickle uses, weighted towards the ones that build and call things
        Arbitrary<Byte> opcode = Arbitraries.of((byte) '(', (byte) ')', (byte) ']', (byte) '}', (byte) 'e',
                (byte) 'a', (byte) 'u', (byte) 's', (byte) 't', (byte) 'R', (byte) 'b', (byte) 'o', (byte) 0x81,
                (byte) 0x85, (byte) 0x86, (byte) 0x87, (byte) 0x88, (byte) 0x89, (byte) 'N', (byte) 'K', (byte) 'J',
                (byte) 'G', (byte) 'X', (byte) 'B', (byte) 'C', (byte) 'c', (byte) 0x93, (byte) 0x94, (byte) 'h',
                (byte) 'q', (byte) 'r', (byte) 'j', (byte) 'p', (byte) 'g', (byte) '0', (byte) '2', (byte) 'M',
                (byte) 0x8c, (byte) 0x95, (byte) '.');
        Arbitrary<byte[]> body = Arbitraries.oneOf(opcode, Arbitraries.bytes()).list().ofMaxSize(200)
                .map(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = l.get(i);
                    }
                    return b;
                });
        return Combinators.combine(Arbitraries.integers().between(0, 5), body).as((protocol, b) -> {
            byte[] out = new byte[b.length + 3];
            out[0] = (byte) 0x80;
            out[1] = protocol.byteValue();
            System.arraycopy(b, 0, out, 2, b.length);
            out[out.length - 1] = '.';
            return out;
        });
    }

    @AfterContainer
    static void removeTempDir() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            files.sorted(Comparator.reverseOrder()).forEach(PickleFuzzTest::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is not the property under test
            }
        }
    }

    private static List<byte[]> seeds(String... names) {
        try {
            return Stream.of(names).map(MODELS::resolve).map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("the committed sklearn fixtures are the fuzzer's seeds", e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("mm-pickle-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
