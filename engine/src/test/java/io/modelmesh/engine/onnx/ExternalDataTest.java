package io.modelmesh.engine.onnx;

import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX files that keep tensors outside themselves are refused before ONNX Runtime opens them. */
class ExternalDataTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");

    @TempDir
    Path dir;

    @Test
    void theFixtureThatReadsItsWeightsFromBesideTheArtifactIsRefusedNamingTheTensorAndPath() throws IOException {
        // the weights are "at ../admin-token": from the control plane's artifact store, its admin token
        Files.writeString(dir.resolve("admin-token"), "s3cret");
        Path store = Files.createDirectories(dir.resolve("artifacts"));
        Path model = Files.copy(MODELS.resolve("external_data.onnx"), store.resolve("external_data.onnx"));
        String msg = assertThrows(InvalidModelException.class,
                () -> new OnnxEngine(EngineConfig.defaults()).load(model, List.of())).getMessage();
        assertTrue(msg.startsWith("the ONNX model keeps tensor 'net.0.weight' in external data (location "
                + "'../admin-token'); ModelMesh serves only self-contained ONNX files"), msg);
    }

    @Test
    void selfContainedModelsHaveNone() throws IOException {
        assertEquals(Optional.empty(), ExternalData.find(MODELS.resolve("iris.onnx")));
        assertEquals(Optional.empty(), ExternalData.find(MODELS.resolve("corrupt.onnx")), "not protobuf: no finding");
    }

    @Test
    void aTensorInsideASubgraphOfANodeAttributeIsFound() throws IOException {
        // ModelProto.graph { node { attribute { g { initializer { name: "deep", data_location: EXTERNAL } } } } }
        byte[] tensor = concat(string(8, "deep"), varint(14, 1));
        byte[] subgraph = message(5, tensor);
        byte[] attribute = concat(string(1, "then_branch"), message(6, subgraph));
        byte[] node = concat(string(4, "If"), message(5, attribute));
        byte[] model = concat(varint(1, 8), message(7, message(1, node)));
        Path file = Files.write(dir.resolve("nested.onnx"), model);
        assertEquals(Optional.of(new ExternalData.Reference("deep", "")), ExternalData.find(file));
    }

    @Test
    void anExternalDataEntryWithoutTheLocationFlagIsFoundToo() throws IOException {
        byte[] entry = concat(string(1, "location"), string(2, "/etc/passwd"));
        byte[] tensor = concat(string(8, "w"), message(13, entry));
        byte[] model = concat(varint(1, 8), message(7, message(5, tensor)));
        Path file = Files.write(dir.resolve("entry.onnx"), model);
        assertEquals(Optional.of(new ExternalData.Reference("w", "/etc/passwd")), ExternalData.find(file));
    }

    @Test
    void nestingDeeperThanTheRuntimeAcceptsIsRefused() throws IOException {
        byte[] graph = message(5, varint(14, 0));
        for (int i = 0; i < ExternalData.MAX_DEPTH; i++) {
            graph = message(1, message(5, message(6, graph))); // node -> attribute -> g -> ...
        }
        Path file = Files.write(dir.resolve("deep.onnx"), concat(varint(1, 8), message(7, graph)));
        String msg = assertThrows(InvalidModelException.class,
                () -> new OnnxEngine(EngineConfig.defaults()).load(file, List.of())).getMessage();
        assertEquals("not a valid ONNX model: the ONNX model nests graphs and tensors more than 100 levels deep", msg);
    }

    private static byte[] varint(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) field << 3);
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static byte[] string(int field, String s) {
        return message(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] message(int field, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, ((long) field << 3) | 2);
        writeVarint(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
