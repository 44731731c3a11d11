package io.modelmesh.controlplane.registry;

import io.modelmesh.api.Framework;
import io.modelmesh.controlplane.Fixtures;
import io.modelmesh.controlplane.registry.FrameworkDetector.Detected;
import io.modelmesh.controlplane.registry.FrameworkDetector.Detection;
import io.modelmesh.controlplane.registry.FrameworkDetector.Undetermined;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameworkDetectorTest {

    @Test
    void onnxFixtureIsOnnxWhateverItsName() throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(Fixtures.irisOnnx())) {
            head = in.readNBytes(FrameworkDetector.HEAD_BYTES);
        }
        assertEquals(Framework.ONNX, framework(FrameworkDetector.detect(head, "weights.bin")));
        assertEquals(Framework.ONNX, framework(FrameworkDetector.detect(head, null)));
    }

    @Test
    void syntheticOnnxHeader() {
        // ir_version=8, producer_name="pytorch", producer_version="2.1", graph (field 7) of 300 bytes (truncated head)
        byte[] head = {0x08, 0x08, 0x12, 0x07, 'p', 'y', 't', 'o', 'r', 'c', 'h', 0x1a, 0x03, '2', '.', '1', 0x3a,
                (byte) 0xac, 0x02, 0x0a, 0x05};
        assertEquals(Framework.ONNX, framework(FrameworkDetector.detect(head, null)));
    }

    @Test
    void zipIsTorchScript() {
        byte[] head = {'P', 'K', 3, 4, 20, 0, 0, 0};
        assertEquals(Framework.TORCHSCRIPT, framework(FrameworkDetector.detect(head, "model.onnx")));
    }

    @Test
    void pickleIsSklearn() {
        byte[] head = {(byte) 0x80, 4, (byte) 0x95, 0x10, 0, 0, 0};
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(head, null)));
    }

    @Test
    void xmlAndPmmlArePmml() {
        assertEquals(Framework.PMML, framework(FrameworkDetector.detect(
                "<?xml version=\"1.0\"?>\n<PMML>".getBytes(StandardCharsets.UTF_8), null)));
        assertEquals(Framework.PMML, framework(FrameworkDetector.detect(
                "\ufeff  <PMML xmlns=\"http://www.dmg.org/PMML-4_4\">".getBytes(StandardCharsets.UTF_8), null)));
    }

    @Test
    void contentWinsOverExtension() {
        byte[] zip = {'P', 'K', 3, 4};
        Detection d = FrameworkDetector.detect(zip, "model.pmml");
        assertEquals(Framework.TORCHSCRIPT, framework(d));
    }

    @Test
    void unknownBytesFallBackToTheExtension() {
        byte[] junk = "definitely not a model".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Framework.ONNX, framework(FrameworkDetector.detect(junk, "corrupt.onnx")));
        assertEquals(Framework.TORCHSCRIPT, framework(FrameworkDetector.detect(junk, "m.pt")));
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(junk, "m.joblib")));
        assertEquals(Framework.PMML, framework(FrameworkDetector.detect(junk, "M.PMML")));
    }

    @Test
    void unknownBytesWithoutAHintAreUndeterminedWithAReason() {
        byte[] junk = "definitely not a model".getBytes(StandardCharsets.US_ASCII);
        Undetermined u = assertInstanceOf(Undetermined.class, FrameworkDetector.detect(junk, "weights.bin"));
        assertTrue(u.reason().contains("framework=onnx|torchscript|sklearn|pmml"), u.reason());
        assertTrue(u.reason().contains("weights.bin"), u.reason());
        assertInstanceOf(Undetermined.class, FrameworkDetector.detect(new byte[0], "x.onnx"));
    }

    @Test
    void protobufLookalikesAreNotOnnx() {
        assertTrue(!FrameworkDetector.looksLikeOnnx(new byte[] {0x08}));
        assertTrue(!FrameworkDetector.looksLikeOnnx(new byte[] {0x08, 0x05}), "ir_version alone is not enough");
        assertTrue(!FrameworkDetector.looksLikeOnnx(new byte[] {0x08, 0x05, (byte) 0x98, 0x01, 0x00}),
                "field 19 is not a ModelProto field");
        assertTrue(!FrameworkDetector.looksLikeOnnx(new byte[] {0x08, 0x00, 0x12, 0x00}), "ir_version 0");
    }

    @Test
    void everyFixtureIsToldByItsContentAlone() throws IOException {
        assertEquals(Framework.TORCHSCRIPT, framework(FrameworkDetector.detect(head("iris.pt"), "model.bin")));
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(head("iris_rf.pkl"), "model.bin")));
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(head("iris_rf.joblib"), "model.bin")));
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(head("iris_logreg.joblib"), null)));
        assertEquals(Framework.PMML, framework(FrameworkDetector.detect(head("diabetes_linear.pmml"), "model.bin")));
        assertEquals(Framework.ONNX, framework(FrameworkDetector.detect(head("iris.onnx"), "model.pt")));
    }

    @Test
    void compressedJoblibNeedsItsName() {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(3);
        deflater.setInput(new byte[] {(byte) 0x80, 4, (byte) 0x95, 0x10, 0, 0, 0});
        deflater.finish();
        byte[] zlib = new byte[64];
        int n = deflater.deflate(zlib);
        byte[] head = java.util.Arrays.copyOf(zlib, n);
        assertTrue(FrameworkDetector.isCompressed(head));
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(head, "model.joblib")));
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0};
        assertEquals(Framework.SKLEARN, framework(FrameworkDetector.detect(gzip, "model.pkl")));
        // compressed bytes say nothing about what is inside: without the name, no guess
        assertInstanceOf(Undetermined.class, FrameworkDetector.detect(head, "model.bin"));
    }

    private static byte[] head(String fixture) throws IOException {
        try (InputStream in = Files.newInputStream(Fixtures.model(fixture))) {
            return in.readNBytes(FrameworkDetector.HEAD_BYTES);
        }
    }

    @Test
    void extensionMapping() {
        assertNull(FrameworkDetector.fromExtension(null));
        assertNull(FrameworkDetector.fromExtension("model.bin"));
        assertEquals(Framework.PMML, FrameworkDetector.fromExtension("m.xml"));
    }

    private static Framework framework(Detection d) {
        return assertInstanceOf(Detected.class, d, () -> "expected a detection, got " + d).framework();
    }
}
