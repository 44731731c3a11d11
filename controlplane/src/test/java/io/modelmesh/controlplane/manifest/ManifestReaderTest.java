package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.Durations;
import io.modelmesh.api.AbArm;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.api.ServingPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestReaderTest {

    static List<YamlDocument> docs(String yaml) {
        return assertInstanceOf(YamlDocuments.Documents.class, YamlDocuments.parse("m.yaml", yaml)).documents();
    }

    static Manifest valid(String yaml) {
        ManifestReader.Result r = ManifestReader.read(docs(yaml).getFirst());
        return assertInstanceOf(ManifestReader.Valid.class, r, r.toString()).manifest();
    }

    static List<ErrorDetail> invalid(String yaml) {
        ManifestReader.Result r = ManifestReader.read(docs(yaml).getFirst());
        return assertInstanceOf(ManifestReader.Invalid.class, r, r.toString()).problems();
    }

    static ErrorDetail at(List<ErrorDetail> problems, String field) {
        return problems.stream().filter(p -> field.equals(p.field())).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + field + " in " + problems));
    }

    @Test
    void readsACanaryWithStepsAnalysisAndServing() {
        Manifest m = valid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                  name: iris
                  labels: {team: fraud}
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 1.1.0
                    steps: [5, 25, 50, 100]
                    stepInterval: 2m
                    analysis: {maxErrorRate: 0.05, maxP99Ms: 50, minRequests: 20, window: 10s}
                  serving: {maxBatchSize: 32, maxLatencyMs: 2, cacheTtlSeconds: 60}
                """);
        assertEquals("iris", m.name());
        assertEquals(Map.of("team", "fraud"), m.labels());
        assertEquals(new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                new CanarySpec("1.1.0", null, List.of(5, 25, 50, 100), 120, new AnalysisPolicy(0.05, 50.0, 20, 10)),
                null, null, new ServingPolicy(32, 2, 60)), m.spec());
    }

    @Test
    void readsTheDriftWindowAndTheDriftGate() {
        Manifest m = valid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 1.1.0
                    percent: 10
                    analysis: {maxPsi: 0.25}
                  drift: {window: 500}
                """);
        assertEquals(new DriftPolicy(500), m.spec().drift());
        assertEquals(0.25, m.spec().canary().analysis().maxPsi());
        List<ErrorDetail> problems = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 1.1.0
                    percent: 10
                    analysis: {maxPsi: 0}
                  drift: {window: 50000, rows: 3}
                """);
        assertTrue(at(problems, "spec.canary.analysis.maxPsi").message().contains("must be above 0"),
                problems.toString());
        assertTrue(at(problems, "spec.drift.window").message().contains("500..10000"), problems.toString());
        assertTrue(at(problems, "spec.drift.rows").message().contains("unknown field"), problems.toString());
        assertEquals(DriftPolicy.defaults(), valid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec: {strategy: full, stable: 1.0.0}
                """).spec().drift());
    }

    @Test
    void readsAdmissionLimitsAndAFallbackDefault() {
        Manifest m = valid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: full
                  stable: 1.1.0
                  serving:
                    maxConcurrency: 4
                    maxQueue: 64
                    timeout: 1500ms
                    fallback: default
                    defaultOutput:
                      label: unknown
                      probabilities: {setosa: 0.5, versicolor: 0.5}
                      logits: [[0, 1.5]]
                """);
        ServingPolicy s = m.spec().serving();
        assertEquals(4, s.maxConcurrency());
        assertEquals(64, s.maxQueue());
        assertEquals(1500, s.timeoutMs());
        assertEquals(ServingPolicy.Fallback.DEFAULT, s.fallback());
        assertEquals(Map.of("label", "unknown", "probabilities", Map.of("setosa", 0.5, "versicolor", 0.5),
                "logits", List.of(List.of(0, 1.5))), s.defaultOutput());
        assertEquals(2000, valid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec: {strategy: full, stable: 1.1.0, serving: {timeout: 2, fallback: cached}}
                """).spec().serving().timeoutMs(), "a plain number is seconds");
    }

    @Test
    void anEmptyCanaryStepIsAProblemNotACrash() {
        // found by ManifestFuzzTest: a null step ('~' or a bare tag '!') reached List.copyOf and answered 500
        for (String empty : List.of("~", "!", "null")) {
            List<ErrorDetail> p = invalid("""
                    apiVersion: modelmesh.io/v1
                    kind: ModelDeployment
                    metadata: {name: iris}
                    spec:
                      strategy: canary
                      stable: 1.0.0
                      canary: {version: 1.1.0, steps: [%s, 25, 50, 100]}
                    """.formatted(empty));
            assertEquals(7, at(p, "spec.canary.steps[0]").line(), p.toString());
        }
        // found by ManifestFuzzTest too: an empty A/B arm ("arms: [-]") reached List.copyOf as null
        List<ErrorDetail> p = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: ab
                  ab:
                    stickyKey: X-User-Id
                    arms: [~, {version: 1.0.0, weight: 50}]
                """);
        assertEquals(8, at(p, "spec.ab.arms[0]").line(), p.toString());
    }

    @Test
    void servingProblemsNameTheirField() {
        List<ErrorDetail> p = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: full
                  stable: 1.0.0
                  serving:
                    maxBatchSize: 8
                    maxLatencyMs: 50
                    timeout: 20ms
                    maxQueue: 70000
                    fallback: stale
                    defaultOutput: {label: [1, x]}
                """);
        assertTrue(at(p, "spec.serving.maxQueue").message().contains("must be 0..65536"), p.toString());
        assertTrue(at(p, "spec.serving.fallback").message().contains("one of none, cached, default"), p.toString());
        assertTrue(at(p, "spec.serving.defaultOutput").message().contains("only used by fallback: default"),
                p.toString());
        assertEquals(12, at(p, "spec.serving.fallback").line());
        List<ErrorDetail> rules = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: full
                  stable: 1.0.0
                  serving: {maxBatchSize: 8, maxLatencyMs: 50, timeout: 20ms}
                """);
        assertTrue(at(rules, "spec.serving.timeout").message().contains("longer than maxLatencyMs (50 ms)"),
                rules.toString());
        List<ErrorDetail> shape = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: full
                  stable: 1.0.0
                  serving: {fallback: default, defaultOutput: {scores: [1, x]}}
                """);
        assertTrue(at(shape, "spec.serving.defaultOutput").message().contains("defaultOutput.scores must hold "
                + "numbers only"), shape.toString());
    }

    @Test
    void readsAnAbSplitAndDefaultsServing() {
        Manifest m = valid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: ab
                  ab:
                    stickyKey: X-Account
                    arms: [{version: 1.0.0, weight: 50}, {version: 1.1.0, weight: 50}]
                """);
        assertEquals(List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50)), m.spec().ab().arms());
        assertEquals("X-Account", m.spec().ab().stickyKey());
        assertEquals(ServingPolicy.defaults(), m.spec().serving());
    }

    @Test
    void unknownFieldsSayWhatIsAllowedAndSuggestTheClosest() {
        List<ErrorDetail> p = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 1.1.0
                    percent: 10
                    stepIntervl: 30s
                """);
        ErrorDetail d = at(p, "spec.canary.stepIntervl");
        assertEquals("m.yaml", d.file());
        assertEquals(10, d.line());
        assertEquals(5, d.column());
        assertTrue(d.message().startsWith("unknown field; did you mean stepInterval? (allowed here: version, percent"),
                d.message());
        assertEquals(1, p.size(), p.toString());
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        List<ErrorDetail> p = invalid("""
                apiVersion: modelmesh.io/v2
                kind: Deployment
                metadata:
                  labels: {team: 7}
                spec:
                  strategy: canary
                  stable: 1.0
                  canary:
                    version: 1.1.0
                    percent: ten
                    stepInterval: 500ms
                    analysis: {maxErrorRate: 5, window: 2h}
                  serving: {maxBatchSize: 0}
                """);
        assertEquals(1, at(p, "apiVersion").line());
        assertTrue(at(p, "apiVersion").message().contains("must be modelmesh.io/v1"));
        assertTrue(at(p, "kind").message().contains("must be ModelDeployment"));
        assertEquals(3, at(p, "metadata.name").line(), "an absent field points at its parent");
        assertEquals("expected a string, got 7", at(p, "metadata.labels.team").message());
        assertEquals(7, at(p, "spec.stable").line());
        assertTrue(at(p, "spec.stable").message().contains("write all three parts"), at(p, "spec.stable").message());
        assertEquals("expected a whole number, got \"ten\"", at(p, "spec.canary.percent").message());
        assertEquals(10, at(p, "spec.canary.percent").line());
        assertTrue(at(p, "spec.canary.stepInterval").message().contains("whole seconds"));
        assertTrue(at(p, "spec.canary.analysis.maxErrorRate").message().startsWith("must be 0..1"));
        assertTrue(at(p, "spec.canary.analysis.window").message().contains("at most 1h"));
        assertEquals(13, at(p, "spec.serving.maxBatchSize").line());
        assertEquals(10, p.size(), p.toString());
    }

    @Test
    void specRulesPointAtTheirFieldOrItsParent() {
        List<ErrorDetail> p = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 1.1.0
                    steps: [5, 50, 25]
                  shadow: {version: 1.1.0}
                """);
        ErrorDetail step = at(p, "spec.canary.steps[2]");
        assertEquals(9, step.line());
        assertTrue(step.message().contains("steps only go up"), step.message());
        assertEquals(10, at(p, "spec.shadow").line());
        assertEquals(2, p.size(), p.toString());

        List<ErrorDetail> missing = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: shadow
                  stable: 1.0.0
                """);
        assertEquals(4, at(missing, "spec.shadow").line(), "a required section that is absent points at spec");
        assertTrue(at(missing, "spec.shadow").message().contains("is required by strategy shadow"));
    }

    @Test
    void duplicateKeysAndNonMappingsAreReported() {
        List<ErrorDetail> p = invalid("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec:
                  strategy: full
                  stable: 1.0.0
                  stable: 1.1.0
                """);
        assertEquals(7, at(p, "spec.stable").line());
        List<ErrorDetail> scalar = invalid("just a string\n");
        assertTrue(scalar.getFirst().message().startsWith("a manifest is a mapping"));
    }

    @Test
    void splitsDocumentsAndKeepsLinesAcrossThem() {
        List<YamlDocument> d = docs("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris}
                spec: {strategy: full, stable: 1.0.0}
                ---
                # second
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: fraud}
                spec: {strategy: full, stable: 2.0.0, bogus: 1}
                ---
                """);
        assertEquals(2, d.size());
        ErrorDetail bogus = at(assertInstanceOf(ManifestReader.Invalid.class, ManifestReader.read(d.get(1))).problems(),
                "spec.bogus");
        assertEquals(10, bogus.line());
    }

    @Test
    void syntaxErrorsCarryTheParsersLineAndColumn() {
        YamlDocuments.SyntaxError e = assertInstanceOf(YamlDocuments.SyntaxError.class, YamlDocuments.parse("bad.yaml", """
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: iris
                spec:
                  strategy: full
                """));
        assertEquals("bad.yaml", e.detail().file());
        assertTrue(e.detail().line() >= 3, e.detail().toString());
        assertTrue(e.detail().column() >= 1, e.detail().toString());
        assertTrue(e.detail().message().startsWith("not valid YAML: "), e.detail().message());
    }

    @Test
    void durations() {
        assertEquals(500L, Durations.millis("500ms").orElseThrow());
        assertEquals(30_000L, Durations.millis("30").orElseThrow());
        assertEquals(300_000L, Durations.millis("5m").orElseThrow());
        assertEquals(3_600_000L, Durations.millis("1h").orElseThrow());
        assertTrue(Durations.millis("5 minutes").isEmpty());
        assertEquals("90s", Durations.format(90));
        assertEquals("2m", Durations.format(120));
    }
}
