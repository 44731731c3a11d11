package io.modelmesh.dataplane.sync;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.TestModels;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.inference.PreviewService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded set of preview models, with a fake control plane and loader (no engine, no network). */
class PreviewModelsTest {
    private final List<String> described = new ArrayList<>();
    private final List<ModelHandle> loaded = new ArrayList<>();

    private ModelVersion describe(String model, String version) throws IOException {
        described.add(version);
        if (version.equals("9.9.9")) {
            throw new ControlPlaneApi.RefusedException("control plane answered HTTP 404");
        }
        String v = version.equals("@challenger") ? "1.2.0" : version;
        return new ModelVersion(model, v, "onnx", v.replace(".", "").repeat(22).substring(0, 64), 1,
                ModelSchema.empty(), Map.of(), null, Instant.EPOCH, "t", null);
    }

    private ModelHandle load(RouteTarget target) {
        ModelHandle h = new ModelHandle(target.version(), new TestModels.SumModel(1, null));
        loaded.add(h);
        return h;
    }

    private PreviewModels previews(int capacity) {
        return new PreviewModels(this::describe, this::load, capacity, 1_000_000_000L);
    }

    @Test
    void atMostCapacityModelsStayLoadedTheLeastRecentlyUsedGoesFirst() {
        PreviewModels p = previews(2);
        use(p, "1.1.0");
        use(p, "1.2.0");
        use(p, "1.1.0"); // kept: loaded once, no second description
        assertEquals(2, loaded.size());
        assertEquals(List.of("1.1.0", "1.2.0"), described);
        use(p, "1.3.0"); // evicts 1.2.0, the least recently used
        assertEquals(2, p.size());
        assertTrue(loaded.get(1).isClosed(), "evicted and idle: closed");
        assertFalse(loaded.get(0).isClosed());
        use(p, "1.2.0");
        assertEquals(4, loaded.size(), "loaded again after its eviction");
        assertTrue(loaded.get(0).isClosed(), "1.1.0 was the least recently used then");
        p.close();
        assertTrue(loaded.stream().allMatch(ModelHandle::isClosed));
    }

    @Test
    void anEvictedModelClosesAfterItsLastCall() {
        PreviewModels p = previews(1);
        PreviewService.Acquired running = p.acquire("iris", "1.1.0");
        release(p.acquire("iris", "1.2.0"));
        assertFalse(running.handle().isClosed(), "a call still runs on it");
        running.handle().release();
        assertTrue(running.handle().isClosed());
    }

    @Test
    void aliasesAreAskedEveryTimeUnknownVersionsAreNotFoundAndZeroTurnsItOff() {
        PreviewModels p = previews(2);
        assertEquals("1.2.0", use(p, "@challenger"));
        assertEquals("1.2.0", use(p, "@challenger"));
        assertEquals(List.of("@challenger", "@challenger"), described, "an alias may have moved");
        assertEquals(1, loaded.size());
        assertThrows(NotFoundException.class, () -> p.acquire("iris", "9.9.9"));
        UnavailableException off = assertThrows(UnavailableException.class, () -> previews(0).acquire("iris",
                "1.1.0"));
        assertTrue(off.getMessage().contains("MM_PREVIEW_MODELS=0"), off.getMessage());
        assertEquals(2, PreviewModels.capacity(Map.of()));
        assertEquals(0, PreviewModels.capacity(Map.of("MM_PREVIEW_MODELS", "0")));
        assertThrows(IllegalArgumentException.class, () -> PreviewModels.capacity(Map.of("MM_PREVIEW_MODELS", "65")));
    }

    private static String use(PreviewModels p, String version) {
        PreviewService.Acquired a = p.acquire("iris", version);
        release(a);
        return a.target().version();
    }

    private static void release(PreviewService.Acquired a) {
        a.handle().release();
    }
}
