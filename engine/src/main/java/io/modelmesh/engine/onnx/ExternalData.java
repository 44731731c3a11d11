package io.modelmesh.engine.onnx;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds tensors an ONNX file keeps outside itself ({@code TensorProto.data_location = EXTERNAL}, or
 * {@code external_data} entries), by walking the protobuf as it streams from disk: ONNX Runtime would read such a tensor
 * from a path the file names, relative to the artifact — in a content-addressed store, any file beside it or above it.
 * Every place a tensor can sit is visited: the graph's initializers and sparse initializers, node attributes (tensors,
 * subgraphs of If/Loop/Scan, sparse tensors), functions and training graphs. Tensor payloads are skipped, never read,
 * so a 2 GB model costs a few seeks. Bytes that are not well-formed protobuf end the walk without a finding: ONNX
 * Runtime refuses them with its own message.
 */
final class ExternalData {
    /** Deeper nesting than this is refused (ONNX Runtime's protobuf parser stops at 100 as well). */
    static final int MAX_DEPTH = 100;

    private enum Message { MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SPARSE_TENSOR, FUNCTION, TRAINING_INFO, ENTRY }

    /** For each message, its fields that hold messages that may (transitively) hold tensors. */
    private static final Map<Message, Map<Integer, Message>> CHILDREN = Map.of(
            Message.MODEL, Map.of(7, Message.GRAPH, 20, Message.TRAINING_INFO, 25, Message.FUNCTION),
            Message.GRAPH, Map.of(1, Message.NODE, 5, Message.TENSOR, 15, Message.SPARSE_TENSOR),
            Message.NODE, Map.of(5, Message.ATTRIBUTE),
            Message.ATTRIBUTE, Map.of(5, Message.TENSOR, 6, Message.GRAPH, 10, Message.TENSOR, 11, Message.GRAPH,
                    22, Message.SPARSE_TENSOR, 23, Message.SPARSE_TENSOR),
            Message.SPARSE_TENSOR, Map.of(1, Message.TENSOR, 2, Message.TENSOR),
            Message.FUNCTION, Map.of(7, Message.NODE),
            Message.TRAINING_INFO, Map.of(1, Message.GRAPH, 2, Message.GRAPH),
            Message.TENSOR, Map.of(13, Message.ENTRY),
            Message.ENTRY, Map.of());
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int LOCATION_EXTERNAL = 1;

    private final InputStream in;
    private long position;

    private ExternalData(InputStream in) {
        this.in = in;
    }

    /** A tensor kept outside the file: its name and the location it names (either may be empty). */
    record Reference(String tensor, String location) {
    }

    /** Thrown for nesting deeper than {@link #MAX_DEPTH}. */
    static final class TooDeepException extends IOException {
        TooDeepException() {
            super("the ONNX model nests graphs and tensors more than " + MAX_DEPTH + " levels deep");
        }
    }

    /**
     * The first tensor that references external data, if any.
     *
     * @throws TooDeepException when the file nests messages deeper than {@link #MAX_DEPTH}
     * @throws IOException      when the file cannot be read
     */
    static Optional<Reference> find(Path model) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(model), 1 << 16)) {
            return new ExternalData(in).walk(Message.MODEL, Files.size(model), 0, null);
        } catch (Malformed e) {
            return Optional.empty();
        }
    }

    /** What the tensor being walked has said so far (its name and the external location). */
    private static final class Tensor {
        String name = "";
        String location = "";
        boolean external;
    }

    private Optional<Reference> walk(Message type, long end, int depth, Tensor owner) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new TooDeepException();
        }
        Tensor tensor = type == Message.TENSOR ? new Tensor() : null;
        String entryKey = null;
        String entryValue = null;
        while (position < end) {
            long tag = varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            Message child = CHILDREN.get(type).get(field);
            if (wire == 2) {
                long length = varint();
                long childEnd = position + length;
                if (length < 0 || childEnd > end) {
                    throw new Malformed();
                }
                if (child != null) {
                    Optional<Reference> found = walk(child, childEnd, depth + 1, tensor);
                    if (found.isPresent()) {
                        return found;
                    }
                } else if (tensor != null && field == TENSOR_NAME && length <= 4096) {
                    tensor.name = string(length);
                } else if (type == Message.ENTRY && (field == 1 || field == 2) && length <= 4096) {
                    String s = string(length);
                    if (field == 1) {
                        entryKey = s;
                    } else {
                        entryValue = s;
                    }
                } else {
                    skip(length);
                }
            } else if (wire == 0) {
                long value = varint();
                if (tensor != null && field == TENSOR_DATA_LOCATION && value == LOCATION_EXTERNAL) {
                    tensor.external = true;
                }
            } else if (wire == 1) {
                skip(8);
            } else if (wire == 5) {
                skip(4);
            } else {
                throw new Malformed(); // groups (3, 4) are not used by ONNX; anything else is not protobuf
            }
        }
        if (type == Message.ENTRY && owner != null) {
            owner.external = true; // an external_data entry at all means the tensor is stored outside
            if ("location".equals(entryKey) && entryValue != null) {
                owner.location = entryValue;
            }
        }
        if (tensor != null && tensor.external) {
            return Optional.of(new Reference(tensor.name, tensor.location));
        }
        return Optional.empty();
    }

    private long varint() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new Malformed();
            }
            position++;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new Malformed();
    }

    private String string(long length) throws IOException {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new Malformed();
        }
        position += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new Malformed();
        }
        position += n;
    }

    /** Not well-formed protobuf: the walk stops without a finding. */
    private static final class Malformed extends IOException {
        Malformed() {
            super(null, null);
        }
    }
}
