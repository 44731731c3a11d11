package io.modelmesh.dataplane.cache;

import io.modelmesh.dataplane.cache.TestResults.CountingEvents;
import io.modelmesh.dataplane.cache.TestResults.ManualClock;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryCacheTest {
    private final ManualClock clock = new ManualClock();
    private final CountingEvents events = new CountingEvents();

    private static CacheKey key(int i) {
        return CacheKey.of("m", "v1", new FloatBatch(new float[]{i}, 1, 1));
    }

    @Test
    void hitsUntilTheTtlThenMisses() {
        MemoryCache cache = new MemoryCache(1 << 20, events, clock);
        BatchResult r = TestResults.scores(1, 1);
        cache.put(key(1), r, 10);
        assertSame(r, cache.get(key(1)), "stored as is, no copy");
        clock.advance(Duration.ofSeconds(9));
        assertSame(r, cache.get(key(1)), "reads do not extend or shorten the TTL");
        clock.advance(Duration.ofMillis(999));
        assertSame(r, cache.get(key(1)));
        clock.advance(Duration.ofMillis(1));
        assertNull(cache.get(key(1)), "gone at exactly 10 s");
        assertEquals(3, events.count(CacheEvents.HIT));
        assertEquals(1, events.count(CacheEvents.MISS));
        assertEquals(1, events.count(CacheEvents.STORE));
    }

    @Test
    void eachEntryKeepsItsOwnTtl() {
        MemoryCache cache = new MemoryCache(1 << 20, events, clock);
        cache.put(key(1), TestResults.scores(1, 1), 5);
        cache.put(key(2), TestResults.scores(2, 1), 60);
        clock.advance(Duration.ofSeconds(30));
        assertNull(cache.get(key(1)));
        assertTrue(TestResults.same(TestResults.scores(2, 1), cache.get(key(2))));
        cache.put(key(2), TestResults.scores(3, 1), 5); // a new value restarts the clock with its own TTL
        clock.advance(Duration.ofSeconds(6));
        assertNull(cache.get(key(2)));
    }

    @Test
    void zeroTtlStoresNothing() {
        MemoryCache cache = new MemoryCache(1 << 20, events, clock);
        cache.put(key(1), TestResults.scores(1, 1), 0);
        assertNull(cache.get(key(1)));
        assertEquals(0, events.count(CacheEvents.STORE));
    }

    @Test
    void theByteBoundEvicts() {
        BatchResult sample = TestResults.scores(0, 10);
        long each = MemoryCache.estimateBytes(sample);
        long max = each * 20;
        MemoryCache cache = new MemoryCache(max, events, clock);
        for (int i = 0; i < 200; i++) {
            cache.put(key(i), TestResults.scores(i, 10), 60);
            cache.cleanUp();
            assertTrue(cache.weightedSize() <= max, "over the bound after put " + i + ": " + cache.weightedSize());
        }
        assertTrue(cache.entries() <= 20, "at most 20 fit, holds " + cache.entries());
        int present = 0;
        for (int i = 0; i < 200; i++) {
            if (cache.get(key(i)) != null) {
                present++;
            }
        }
        assertTrue(present > 0 && present <= 20, "present: " + present);
        assertEquals(200 - present, events.count(CacheEvents.MISS));
    }

    @Test
    void aResultLargerThanTheWholeCacheIsSkipped() {
        MemoryCache cache = new MemoryCache(4096, events, clock);
        BatchResult big = new BatchResult(List.of(new OutputTensor("p", "FP32", new long[]{2000}, new float[2000])));
        cache.put(key(1), TestResults.scores(1, 1), 60);
        cache.put(key(2), big, 60);
        assertNull(cache.get(key(2)));
        assertTrue(TestResults.same(TestResults.scores(1, 1), cache.get(key(1))), "the small one was not pushed out");
        assertEquals(1, events.count(CacheEvents.SKIP));
    }

    @Test
    void weightGrowsWithTheData() {
        long small = MemoryCache.estimateBytes(TestResults.scores(0, 1));
        long large = MemoryCache.estimateBytes(TestResults.scores(0, 1000));
        assertTrue(large - small >= 999 * (3 * 4 + 8), small + " vs " + large);
        BatchResult text = new BatchResult(List.of(new OutputTensor("l", "BYTES", new long[]{2},
                new String[]{"a".repeat(500), null})));
        assertTrue(MemoryCache.estimateBytes(text) > 500);
    }

    @Test
    void closedCacheMisses() {
        MemoryCache cache = new MemoryCache(1 << 20, events, clock);
        cache.put(key(1), TestResults.scores(1, 1), 60);
        cache.close();
        assertNull(cache.get(key(1)));
        cache.put(key(1), TestResults.scores(1, 1), 60);
        assertNull(cache.get(key(1)));
        assertEquals("memory", cache.kind());
    }
}
