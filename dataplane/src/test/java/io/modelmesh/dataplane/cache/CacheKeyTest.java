package io.modelmesh.dataplane.cache;

import io.modelmesh.dataplane.inference.InputBinding;
import io.modelmesh.dataplane.inference.RowParser;
import io.modelmesh.engine.FloatBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CacheKeyTest {
    private static final InputBinding AB = new InputBinding("input", 2, List.of("a", "b"), Map.of("a", 0, "b", 1));

    private static CacheKey key(String model, String version, String body) {
        FloatBatch batch = RowParser.parse(body.getBytes(StandardCharsets.UTF_8), AB, 100).batch();
        return CacheKey.of(model, version, batch);
    }

    @Test
    void featureOrderInTheRequestDoesNotMatter() {
        CacheKey ab = key("iris", "v1", "{\"inputs\": {\"a\": 1, \"b\": 2}}");
        CacheKey ba = key("iris", "v1", "{\"inputs\": {\"b\": 2, \"a\": 1}}");
        assertEquals(ab, ba);
        assertEquals(ab.hashCode(), ba.hashCode());
        assertEquals(ab.hex(), ba.hex());
        // the same row by position, and as a one-row list, is the same input too
        assertEquals(ab, key("iris", "v1", "{\"inputs\": [1, 2]}"));
        assertEquals(ab, key("iris", "v1", "{\"instances\": [{\"b\": 2.0, \"a\": 1.0}]}"));
    }

    @Test
    void versionModelAndValuesAllChangeTheKey() {
        CacheKey base = key("iris", "v1", "{\"inputs\": {\"a\": 1, \"b\": 2}}");
        assertNotEquals(base, key("iris", "v2", "{\"inputs\": {\"a\": 1, \"b\": 2}}"), "another version");
        assertNotEquals(base, key("wine", "v1", "{\"inputs\": {\"a\": 1, \"b\": 2}}"), "another model");
        assertNotEquals(base, key("iris", "v1", "{\"inputs\": {\"a\": 1, \"b\": 2.0001}}"), "another value");
        assertNotEquals(base, key("iris", "v1", "{\"inputs\": {\"a\": 2, \"b\": 1}}"), "values swapped");
        assertNotEquals(base, key("iris", "v1", "{\"instances\": [[1, 2], [1, 2]]}"), "another row count");
    }

    @Test
    void namesAreLengthPrefixedAndShapeCounts() {
        FloatBatch one = new FloatBatch(new float[]{1, 2, 3, 4}, 1, 4);
        assertNotEquals(CacheKey.of("ab", "c", one), CacheKey.of("a", "bc", one));
        assertNotEquals(CacheKey.of("m", "v", one), CacheKey.of("m", "v", new FloatBatch(new float[]{1, 2, 3, 4}, 2, 2)));
    }

    @Test
    void onlyTheBatchValuesCountNotTheSpareCapacity() {
        FloatBatch exact = new FloatBatch(new float[]{1, 2}, 1, 2);
        FloatBatch spare = new FloatBatch(new float[]{1, 2, 99, 98}, 1, 2); // the parser's array grows in steps
        assertEquals(CacheKey.of("m", "v", exact), CacheKey.of("m", "v", spare));
    }

    @Test
    void negativeZeroAndNaNsAreNormalised() {
        assertEquals(CacheKey.of("m", "v", new FloatBatch(new float[]{0.0f}, 1, 1)),
                CacheKey.of("m", "v", new FloatBatch(new float[]{-0.0f}, 1, 1)));
        float otherNaN = Float.intBitsToFloat(0x7fc00001);
        assertEquals(CacheKey.of("m", "v", new FloatBatch(new float[]{Float.NaN}, 1, 1)),
                CacheKey.of("m", "v", new FloatBatch(new float[]{otherNaN}, 1, 1)));
    }

    @Test
    void bytesAreTheDigestAndHexSpellsThem() {
        CacheKey k = key("iris", "v1", "{\"inputs\": [1, 2]}");
        byte[] b = k.bytes();
        assertEquals(32, b.length);
        assertEquals(HexFormat.of().formatHex(b), k.hex());
        b[0] ^= 1;
        assertNotEquals(b[0], k.bytes()[0], "bytes() hands out a copy");
    }

    @Test
    void largeBatchesSpanManyBufferFlushes() {
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f;
        }
        CacheKey a = CacheKey.of("m", "v", new FloatBatch(values, 1000, 10));
        values[9_999] += 1;
        CacheKey b = CacheKey.of("m", "v", new FloatBatch(values, 1000, 10));
        values[9_999] -= 1;
        assertNotEquals(a, b);
        assertEquals(a, CacheKey.of("m", "v", new FloatBatch(values, 1000, 10)));
        String longName = "x".repeat(3000); // longer than the scratch buffer
        assertNotEquals(CacheKey.of(longName, "v", new FloatBatch(values, 1000, 10)),
                CacheKey.of(longName + "y", "v", new FloatBatch(values, 1000, 10)));
    }

    @Test
    void concurrentThreadsGetTheSameKeys() throws Exception {
        FloatBatch batch = new FloatBatch(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] expected = CacheKey.of("m", "v", batch).bytes();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Set<String>>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                futures.add(pool.submit(() -> {
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < 2000; i++) {
                        seen.add(CacheKey.of("m", "v", batch).hex());
                    }
                    return seen;
                }));
            }
            for (Future<Set<String>> f : futures) {
                assertEquals(Set.of(HexFormat.of().formatHex(expected)), f.get(30, TimeUnit.SECONDS));
            }
        }
        assertArrayEquals(expected, CacheKey.of("m", "v", batch).bytes());
    }
}
