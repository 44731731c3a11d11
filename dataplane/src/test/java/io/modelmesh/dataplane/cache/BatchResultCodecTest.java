package io.modelmesh.dataplane.cache;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchResultCodecTest {

    private static BatchResult roundTrip(BatchResult r) {
        return BatchResultCodec.decode(BatchResultCodec.encode(r));
    }

    private static BatchResult every() {
        return new BatchResult(List.of(
                new OutputTensor("fp32", "FP32", new long[]{2, 2}, new float[]{1.5f, -0.0f, Float.MAX_VALUE, Float.NaN}),
                new OutputTensor("fp64", "FP64", new long[]{3}, new double[]{Math.PI, -1e300, Double.MIN_VALUE}),
                new OutputTensor("int64", "INT64", new long[]{2}, new long[]{Long.MIN_VALUE, 42}),
                new OutputTensor("int32", "INT32", new long[]{2, 1}, new int[]{-7, Integer.MAX_VALUE}),
                new OutputTensor("bool", "BOOL", new long[]{3}, new boolean[]{true, false, true}),
                new OutputTensor("bytes", "BYTES", new long[]{4}, new String[]{"setosa", "", "versicolor ✓ 日本", null}),
                new OutputTensor("empty", "FP32", new long[]{0}, new float[0]),
                new OutputTensor("scalar", "INT64", new long[0], new long[]{1})));
    }

    @Test
    void everyDatatypeRoundTrips() {
        BatchResult r = every();
        BatchResult back = roundTrip(r);
        assertTrue(TestResults.same(r, back), "round trip changed the result");
        for (int i = 0; i < r.outputs().size(); i++) {
            assertEquals(r.outputs().get(i).data().getClass(), back.outputs().get(i).data().getClass());
        }
        float[] f = (float[]) back.outputs().getFirst().data();
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(f[1]), "bits kept exactly");
    }

    @Test
    void eachTensorAloneRoundTrips() {
        for (OutputTensor t : every().outputs()) {
            BatchResult one = new BatchResult(List.of(t));
            assertTrue(TestResults.same(one, roundTrip(one)), t.toString());
        }
        assertEquals(0, roundTrip(new BatchResult(List.of())).outputs().size());
    }

    @Test
    void largeTensorsAreCompact() {
        float[] big = new float[10_000];
        Arrays.fill(big, 0.25f);
        BatchResult r = new BatchResult(List.of(new OutputTensor("p", "FP32", new long[]{5000, 2}, big)));
        byte[] bytes = BatchResultCodec.encode(r);
        assertTrue(bytes.length < 40_100, "4 bytes per float plus a small header, got " + bytes.length);
        assertTrue(TestResults.same(r, BatchResultCodec.decode(bytes)));
    }

    @Test
    void foreignOrDamagedBytesAreRejectedNotMisread() {
        byte[] good = BatchResultCodec.encode(every());
        assertThrows(IllegalArgumentException.class, () -> BatchResultCodec.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> BatchResultCodec.decode("{\"json\": true}".getBytes()));
        byte[] otherVersion = good.clone();
        otherVersion[2] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchResultCodec.decode(otherVersion));
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
        for (int cut = 3; cut < good.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(IllegalArgumentException.class, () -> BatchResultCodec.decode(truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> BatchResultCodec.decode(trailing));
        byte[] hugeCount = good.clone();
        hugeCount[3] = hugeCount[4] = hugeCount[5] = (byte) 0xff;
        hugeCount[6] = 0x7f; // tensor count ~2^31: refused before allocating
        assertThrows(IllegalArgumentException.class, () -> BatchResultCodec.decode(hugeCount));
    }

    @Test
    void unsupportedDataIsRefusedOnEncode() {
        BatchResult r = new BatchResult(List.of(new OutputTensor("x", "UINT8", new long[]{1}, new byte[]{1})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchResultCodec.encode(r));
        assertTrue(e.getMessage().contains("byte[]"), e.getMessage());
    }
}
