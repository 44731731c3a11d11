package io.modelmesh.sklearn;

import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.Messages;
import org.jpmml.python.CompressedInputStreamStorage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Opens a pickle or joblib file and reads it with the {@link GuardedUnpickler}. Plain pickles and uncompressed joblib
 * files are read as they are; joblib's zlib compression (its default when compressing, and the pre-0.10 "ZF" variant)
 * is undone by jpmml-python, gzip by the JDK. Other joblib compressors (bz2, xz, lzma, lz4) are refused with the
 * remedy.
 *
 * <p>Nothing in the file is taken at its word: the unpickler reads at most the file's own size from a plain pickle and
 * at most {@code maxBytes} (the upload limit) out of a compressed one, and each size the pickle declares is checked
 * against what is left before anything is allocated for it (see {@link PickleInput} and {@link GuardedUnpickler}).
 */
final class PickleReader {
    private static final int MAGIC_BYTES = 6;

    private PickleReader() {
    }

    /**
     * The object the file holds.
     *
     * @param maxBytes most bytes of pickle data read out of a compressed file
     * @throws InvalidModelException when the file is unreadable, declares more data than it can hold or inflates past
     *                               {@code maxBytes}, or names a Python global the converter does not know
     */
    static Object read(Path file, long maxBytes) throws InvalidModelException {
        Set<String> refused = new LinkedHashSet<>();
        try (PickleInput in = open(file, maxBytes)) {
            Object result = GuardedUnpickler.read(in, refused);
            refuseUnknown(refused);
            return result;
        } catch (PickleInput.PickleTooLargeException e) {
            throw new InvalidModelException("not a readable pickle/joblib file: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("not a readable pickle/joblib file: no file " + file, e);
        } catch (IOException | RuntimeException e) {
            // razorvine reports malformed input as PickleException or IOException, but a mistyped stack surfaces as
            // whatever runtime exception the cast or lookup throws; all of them mean the bytes are not a usable pickle
            refuseUnknown(refused); // a refused global explains the failure better than where reading stopped
            throw new InvalidModelException("not a readable pickle/joblib file: " + Messages.firstLine(e), e);
        }
    }

    private static void refuseUnknown(Set<String> refused) throws InvalidModelException {
        if (refused.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(refused);
        String listed = names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
        throw new InvalidModelException("the pickle references " + listed + ", which "
                + (names.size() == 1 ? "is not a scikit-learn class" : "are not scikit-learn classes")
                + " ModelMesh can convert; pickles are never executed — export the model with a supported estimator");
    }

    private static PickleInput open(Path file, long maxBytes) throws IOException, InvalidModelException {
        long size = Files.size(file);
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file));
        String inflated = "the limit of " + maxBytes + " bytes on decompressed pickle data (the upload limit)";
        try {
            raw.mark(MAGIC_BYTES);
            byte[] magic = Arrays.copyOf(raw.readNBytes(MAGIC_BYTES), MAGIC_BYTES);
            raw.reset();
            return switch (Compression.of(magic)) {
                case NONE -> new PickleInput(raw, size, "the file's " + size + " bytes");
                case ZLIB -> new PickleInput(new BufferedInputStream(new CompressedInputStreamStorage(
                        new PushbackInputStream(raw, 2)).getObject()), maxBytes, inflated);
                case GZIP -> new PickleInput(new BufferedInputStream(new GZIPInputStream(raw)), maxBytes, inflated);
                case UNSUPPORTED -> throw new InvalidModelException("the joblib file is compressed with "
                        + Compression.name(magic) + ", which ModelMesh cannot read; save it with joblib.dump(model, "
                        + "path) or compress=('zlib', 3) or ('gzip', 3)");
            };
        } catch (IOException | InvalidModelException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }


    /** How a joblib file is compressed, from its first bytes (pickles start with PROTO 0x80 or an ASCII opcode). */
    private enum Compression {
        NONE, ZLIB, GZIP, UNSUPPORTED;

        static Compression of(byte[] m) {
            if (m[0] == 'x' || m[0] == 'Z' && m[1] == 'F') {
                return ZLIB;
            }
            if ((m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            return name(m) == null ? NONE : UNSUPPORTED;
        }

        /** The compressor joblib supports but ModelMesh does not, or null. */
        static String name(byte[] m) {
            if (m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
                return "bz2";
            }
            if ((m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
                return "xz";
            }
            if (m[0] == 0x5d && m[1] == 0 && m[2] == 0) {
                return "lzma";
            }
            if (m[0] == 0x04 && m[1] == 0x22 && m[2] == 0x4d && m[3] == 0x18) {
                return "lz4";
            }
            return null;
        }
    }
}
