package io.modelmesh.dataplane;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataPlaneConfigTest {
    private static DataPlaneConfig parse(Map<String, String> env, String... args) {
        return DataPlaneConfig.fromArgs(args, env);
    }

    private static DataPlaneConfig parse(String... args) {
        return DataPlaneConfig.fromArgs(args, Map.of());
    }

    @Test
    void severalControlPlanesOfOneClusterInOrderOfPreference() {
        assertEquals(java.util.List.of(java.net.URI.create("http://127.0.0.1:8080")), parse().controlPlane());
        assertEquals(java.util.List.of(java.net.URI.create("http://cp1:8080"), java.net.URI.create("https://cp2:8443")),
                parse(Map.of("MM_CONTROL_PLANE", "http://cp1:8080/, https://cp2:8443")).controlPlane());
        for (String bad : new String[] {"ftp://cp1", ",", "http://a,:nohost"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse("--control-plane", bad));
            assertTrue(e.getMessage().startsWith("--control-plane"), bad + ": " + e.getMessage());
        }
        String seventeen = String.join(",", java.util.Collections.nCopies(17, "http://cp:1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--control-plane", seventeen))
                .getMessage().contains("1 to 16 URLs"));
    }

    @Test
    void reportIntervalAndShadowQueueDefaults() {
        DataPlaneConfig c = parse(Map.of());
        assertEquals(Duration.ofSeconds(1), c.reportInterval());
        assertEquals(1024, c.shadowQueue());
    }

    @Test
    void reportIntervalFromFlagOverEnvironment() {
        assertEquals(Duration.ofMillis(250), parse(Map.of("MM_REPORT_INTERVAL", "250ms")).reportInterval());
        assertEquals(Duration.ofMillis(2500), parse(Map.of("MM_REPORT_INTERVAL", "250ms"),
                "--report-interval", "2500ms").reportInterval());
        // the platform's one grammar (api Durations): minutes were refused before it was shared
        assertEquals(Duration.ofMinutes(1), parse(Map.of(), "--report-interval", "1m").reportInterval());
        assertEquals(Duration.ofMillis(100), parse(Map.of(), "--report-interval", "100").reportInterval());
        assertEquals(64, parse(Map.of("MM_SHADOW_QUEUE", "64")).shadowQueue());
    }

    @Test
    void badValuesNameTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--report-interval", "soon"))
                .getMessage().contains("--report-interval"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--report-interval", "2.5s"))
                .getMessage().contains("such as 500ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--report-interval", "0ms"))
                .getMessage().contains("--report-interval"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("MM_SHADOW_QUEUE", "0")))
                .getMessage().contains("MM_SHADOW_QUEUE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("MM_SHADOW_QUEUE", "lots")))
                .getMessage().contains("MM_SHADOW_QUEUE"));
    }

    @Test
    void servingDefaultsFromFlagsOverTheEnvironment() {
        ServingDefaults none = parse().serving();
        assertEquals(ServingDefaults.defaults(), none);
        assertEquals(Duration.ofSeconds(25), none.drainTimeout());
        ServingDefaults set = parse(Map.of("MM_MAX_QUEUE", "64", "MM_DRAIN_TIMEOUT", "10s"), "--max-concurrency", "3",
                "--request-timeout", "1500ms", "--drain-timeout", "2s").serving();
        assertEquals(3, set.maxConcurrency());
        assertEquals(64, set.maxQueue());
        assertEquals(Duration.ofMillis(1500), set.requestTimeout());
        assertEquals(Duration.ofSeconds(2), set.drainTimeout(), "the flag wins over the variable");
        assertEquals(new io.modelmesh.dataplane.admission.AdmissionLimits(3, 64, Duration.ofMillis(1500)),
                set.admission(1, 2).resolve(io.modelmesh.api.ServingPolicy.defaults()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--max-queue", "lots")).getMessage()
                .contains("--max-queue"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("MM_DRAIN_TIMEOUT", "soon")))
                .getMessage().contains("MM_DRAIN_TIMEOUT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--drain-timeout", "2h")).getMessage()
                .contains("at most 1h"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--max-concurrency", "9999"))
                .getMessage().contains("--max-concurrency"));
    }

    @Test
    void predictionsAreAnonymousOnlyOnLoopbackUnlessSaidOtherwise() {
        assertTrue(parse().anonymousPredict(), "127.0.0.1 by default");
        assertTrue(parse().publicMetrics());
        assertFalse(parse("--host", "0.0.0.0").anonymousPredict(), "any other address needs a predict token");
        assertFalse(parse("--host", "0.0.0.0").publicMetrics());
        assertTrue(parse("--host", "0.0.0.0", "--allow-anonymous-predict").anonymousPredict());
        assertFalse(parse("--allow-anonymous-predict=false").anonymousPredict(), "benchmarks turn auth on locally");
        assertThrows(IllegalArgumentException.class, () -> parse("--allow-anonymous-predict=maybe"));
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
                () -> parse("--join-token", "mmt_x"));
        assertTrue(secret.getMessage().contains("MM_JOIN_TOKEN"), secret.getMessage());
        assertEquals(java.nio.file.Path.of("/srv/mm/join-token"), parse("--home", "/srv/mm").joinTokenFile());
    }

    @Test
    void aRedisPasswordIsNeverPrintedAndWarnedAboutOnTheCommandLine() {
        DataPlaneConfig c = parse(Map.of(), "--redis-url", "redis://:hunter2@cache:6379/0");
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertTrue(c.toString().contains("redis://:***@cache:6379/0"), c.toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(), "--redis-url", "http://:hunter2@cache:6379"));
        assertFalse(bad.getMessage().contains("hunter2"), bad.getMessage());
        assertEquals(1, DataPlaneConfig.commandLineWarnings(new String[] {"--redis-url", "redis://:hunter2@c:1"}).size());
        assertEquals(0, DataPlaneConfig.commandLineWarnings(new String[] {"--redis-url", "redis://c:1"}).size());
    }

    @Test
    void tlsFlagsOverTheEnvironment() {
        java.nio.file.Path tls = java.nio.file.Path.of("..", "fixtures", "tls");
        DataPlaneConfig c = parse(Map.of("MM_TLS_CA", tls.resolve("other-ca.pem").toString()), "--tls-cert",
                tls.resolve("server.pem").toString(), "--tls-key", tls.resolve("server.key").toString(), "--tls-ca",
                tls.resolve("ca.pem").toString());
        assertTrue(c.tls().serving());
        assertEquals(tls.resolve("ca.pem"), c.tls().ca());
        assertFalse(parse(Map.of()).tls().serving());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--tls-key",
                tls.resolve("server.key").toString())).getMessage().contains("--tls-cert and --tls-key go together"));
    }
}
