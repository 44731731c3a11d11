package io.modelmesh.controlplane.registry;

import io.modelmesh.api.Framework;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells a model's framework from the first bytes of its artifact (and, when the bytes say nothing, from the uploaded
 * file name's extension). Pure: no I/O.
 *
 * <ul>
 *   <li>ONNX: a protobuf {@code ModelProto} starts with field 1 ({@code ir_version}, varint) followed by known fields;</li>
 *   <li>TorchScript: a zip archive ({@code PK\3\4}), what {@code torch.jit.save} writes;</li>
 *   <li>scikit-learn: a pickle (protocol opcode {@code 0x80} then protocol 2..5), which is also what an uncompressed
 *   {@code joblib.dump} writes; a compressed joblib file (zlib or gzip stream) when its name ends in {@code .joblib}
 *   or {@code .pkl};</li>
 *   <li>PMML: XML ({@code <?xml} or {@code <PMML}).</li>
 * </ul>
 */
public final class FrameworkDetector {
    /** How many leading bytes {@link #detect} looks at. */
    public static final int HEAD_BYTES = 512;

    private FrameworkDetector() {
    }

    /** Why a framework was (or was not) chosen. */
    public sealed interface Detection permits Detected, Undetermined {
    }

    /** @param reason what in the file gave it away */
    public record Detected(Framework framework, String reason) implements Detection {
    }

    /** @param reason why no framework could be chosen, written for the person uploading */
    public record Undetermined(String reason) implements Detection {
    }

    /**
     * @param head     the artifact's first bytes (up to {@link #HEAD_BYTES}; fewer for short files)
     * @param filename the uploaded file's name, or null
     */
    public static Detection detect(byte[] head, String filename) {
        if (head.length == 0) {
            return new Undetermined("the uploaded file is empty");
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
            return new Detected(Framework.TORCHSCRIPT, "zip archive (TorchScript saves a zip)");
        }
        if ((head[0] & 0xff) == 0x80 && head.length > 1 && head[1] >= 2 && head[1] <= 5) {
            return new Detected(Framework.SKLEARN, "Python pickle, protocol " + head[1]);
        }
        Framework byName = fromExtension(filename);
        if (byName == Framework.SKLEARN && isCompressed(head)) {
            return new Detected(Framework.SKLEARN, "compressed joblib file ('" + filename + "')");
        }
        String text = leadingText(head);
        if (text.startsWith("<?xml") || text.startsWith("<PMML")) {
            return new Detected(Framework.PMML, "XML document");
        }
        if (looksLikeOnnx(head)) {
            return new Detected(Framework.ONNX, "protobuf ModelProto (ONNX)");
        }
        if (byName != null) {
            return new Detected(byName, "file name extension of '" + filename + "'");
        }
        return new Undetermined("cannot tell the framework from the file's contents"
                + (filename == null ? "" : " or its name '" + filename + "'")
                + ": it is not ONNX protobuf, a TorchScript zip, a pickle or PMML XML. "
                + "Pass framework=onnx|torchscript|sklearn|pmml (mmctl register --framework ...)");
    }

    /** The framework an extension names, or null. */
    static Framework fromExtension(String filename) {
        if (filename == null) {
            return null;
        }
        String f = filename.toLowerCase(Locale.ROOT);
        if (f.endsWith(".onnx")) {
            return Framework.ONNX;
        }
        if (f.endsWith(".pt") || f.endsWith(".pth") || f.endsWith(".torchscript")) {
            return Framework.TORCHSCRIPT;
        }
        if (f.endsWith(".pkl") || f.endsWith(".pickle") || f.endsWith(".joblib")) {
            return Framework.SKLEARN;
        }
        if (f.endsWith(".pmml") || f.endsWith(".xml")) {
            return Framework.PMML;
        }
        return null;
    }

    /**
     * Walks the protobuf fields in {@code head}: the first must be {@code ir_version} (field 1, varint, 1..100) and
     * every following tag a {@code ModelProto} field with its wire type, until the head runs out.
     */
    static boolean looksLikeOnnx(byte[] head) {
        if (head.length < 2 || head[0] != 0x08) {
            return false;
        }
        int[] pos = {1};
        long irVersion = varint(head, pos);
        if (irVersion < 1 || irVersion > 100) {
            return false;
        }
        int fields = 1;
        while (pos[0] < head.length) {
            long tag = varint(head, pos);
            if (tag < 0) {
                break; // truncated by the head, not by the file
            }
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (!knownModelProtoField(field, wire)) {
                return false;
            }
            if (wire == 0) {
                if (varint(head, pos) < 0) {
                    break;
                }
            } else {
                long len = varint(head, pos);
                if (len < 0) {
                    break;
                }
                pos[0] += (int) Math.min(len, Integer.MAX_VALUE - pos[0]);
            }
            fields++;
        }
        return fields >= 2;
    }

    private static boolean knownModelProtoField(int field, int wire) {
        return switch (field) {
            case 1, 5 -> wire == 0;                          // ir_version, model_version
            case 2, 3, 4, 6, 7, 8, 14, 20, 25 -> wire == 2;  // producer_*, domain, doc_string, graph, opset_import, ...
            default -> false;
        };
    }

    /** Reads a varint at pos[0], advancing it; -1 when the bytes run out first. */
    private static long varint(byte[] b, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                return -1;
            }
            int x = b[pos[0]++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    /** A zlib stream (CMF 0x78 with a valid header checksum) or a gzip member (1f 8b): how joblib compresses. */
    static boolean isCompressed(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true;
        }
        return head.length >= 2 && (head[0] & 0xff) == 0x78 && (((head[0] & 0xff) << 8) | (head[1] & 0xff)) % 31 == 0;
    }

    private static String leadingText(byte[] head) {
        int start = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            start = 3; // UTF-8 byte order mark
        }
        while (start < head.length && (head[start] == ' ' || head[start] == '\t' || head[start] == '\r'
                || head[start] == '\n')) {
            start++;
        }
        int end = Math.min(head.length, start + 16);
        return new String(head, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
