package io.modelmesh.cli.commands;

import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.api.ManifestChange;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Printer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.modelmesh.cli.commands.Samples.T;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The issue-4 commands' table views, exact text. Pure. */
class ViewsOfTrafficTest {

    private static String render(List<Block> blocks) {
        return Printer.render(blocks, false);
    }

    @Test
    void rolloutShowsStateStepThresholdsAndReason() {
        assertEquals("""
                rollout   7
                model     iris
                state     RUNNING
                canary    1.1.0 at 25% (step 2 of 4: 5,25,50,100; 30s each)
                stable    1.0.0
                analysis  error rate <= 2%, p99 <= 250 ms, at least 20 requests over 10s
                reason    healthy: 0.4% errors
                revision  12
                started   2026-11-24T09:47:00Z by alice
                """, render(CanaryCommand.table(Samples.rollout("RUNNING", "healthy: 0.4% errors"))));
    }

    @Test
    void historyShowsOneRowPerRevisionWithTheSplit() {
        DeploymentStatus first = new DeploymentStatus(11, "iris", Samples.route("1.0.0"), T, "alice",
                "deploy 1.0.0 at 100%", 2, 2, List.of(), DeploymentSpec.full("1.0.0", null));
        DeploymentStatus second = new DeploymentStatus(12, "iris", Samples.canaryRoute(), T, "bob",
                "canary 1.1.0 at 5%", 2, 2, List.of(), null);
        assertEquals("""
                REVISION  TIME                  AUTHOR  STRATEGY  CHANGE                TRAFFIC
                11        2026-11-24T09:47:00Z  alice   full      deploy 1.0.0 at 100%  1.0.0 100%
                12        2026-11-24T09:47:00Z  bob     -         canary 1.1.0 at 5%    1.0.0 95% · 1.1.0 5% canary
                """, render(HistoryCommand.table(List.of(first, second))));
        assertEquals("", render(HistoryCommand.table(List.of())));
    }

    @Test
    void applyPrintsOneLinePerManifestWithItsDiff() {
        ApplyResult r = new ApplyResult(false, List.of(
                new ManifestChange("m/iris.yaml", "iris", "configured", 11L, 12L,
                        List.of("spec.canary.version: (none) -> 1.1.0", "traffic: 1.0.0 100% -> 1.0.0 95% · 1.1.0 5% canary"),
                        2, 2, List.of()),
                new ManifestChange("m/fraud.yaml", "fraud", "unchanged", 4L, null, List.of(), 0, 0, List.of()),
                new ManifestChange("m/new.yaml", "new", "created", null, 1L, List.of("strategy: full"), 1, 2,
                        List.of("node-8001: timed out"))));
        assertEquals("""
                iris: configured (revision 12, 2/2 nodes)
                  spec.canary.version: (none) -> 1.1.0
                  traffic: 1.0.0 100% -> 1.0.0 95% · 1.1.0 5% canary
                fraud: unchanged
                new: created (revision 1, 1/2 nodes)
                  strategy: full
                  node-8001: timed out
                """, render(ApplyCommand.table(r)));
        assertEquals("""
                iris: would be configured (now revision 11)
                  spec.canary.version: (none) -> 1.1.0
                  traffic: 1.0.0 100% -> 1.0.0 95% · 1.1.0 5% canary
                fraud: no changes
                new: would be created (not deployed yet)
                  strategy: full
                """, render(DiffCommand.table(r)));
    }

    @Test
    void problemsPointAtFileLineAndColumn() {
        assertEquals("iris.yaml:7:12: spec.canary.steps[2]: steps must increase", ManifestCommand.problem(
                new ErrorDetail("iris.yaml", 7, 12, "spec.canary.steps[2]", "steps must increase")));
        assertEquals("iris.yaml:7: kind: unknown kind", ManifestCommand.problem(
                new ErrorDetail("iris.yaml", 7, null, "kind", "unknown kind")));
        assertEquals("iris.yaml: not YAML", ManifestCommand.problem(new ErrorDetail("iris.yaml", null, 3, null,
                "not YAML")));
        assertEquals("metadata.name: missing", ManifestCommand.problem(new ErrorDetail(null, null, null,
                "metadata.name", "missing")));
    }

    @Test
    void shadowStatusShowsTheComparisonThenSamples() {
        assertEquals("""
                model            iris
                shadow           1.1.0 compared with 1.0.0
                state            active
                since            2026-11-24T09:47:00Z
                mirrored         1200
                dropped          3 (queue full)
                failed           1
                compared         1196
                label agreement  98.5%
                mean abs diff    0.0123
                max abs diff     0.4100
                latency delta    +1.25 ms

                AT                    REQUEST  LABELS  MAX DIFF  PRIMARY MS  SHADOW MS  PRIMARY             SHADOW
                2026-11-24T09:47:00Z  req-9    differ  0.4100    1.5         2.75       {"label":"setosa"}  {"label":"versicolor"}
                2026-11-24T09:47:00Z  req-8    -       -         1           3          {"label":"setosa"}  error: HTTP 500
                """, render(ShadowStatusCommand.table(Samples.shadowReport())));
    }

    @Test
    void statusOfAModelShowsRolloutTrafficAndNodes() {
        StatusCommand.ModelReport r = new StatusCommand.ModelReport(Samples.summary("1.0.0"),
                new DeploymentStatus(12, "iris", Samples.canaryRoute(), T, "alice", "canary 1.1.0 at 25%", 1, 2,
                        List.of()),
                List.of(Samples.node("node-8000", 8000, 12, "LIVE"), Samples.node("node-8001", 8001, 11, "LIVE")),
                Samples.rollout("RUNNING", "healthy"), Samples.traffic());
        assertEquals("""
                model           iris
                framework       onnx
                live            1.0.0
                latest          1.1.0
                versions        2
                revision        12
                targets         1.0.0 95% stable
                                1.1.0 5% canary
                acks            1/2 nodes
                change          canary 1.1.0 at 25%
                deployed        2026-11-24T09:47:00Z by alice
                rollout         7 RUNNING: 1.1.0 at 25% (step 2 of 4: 5,25,50,100; 30s each)
                rollout reason  healthy

                VERSION  ROLE    WEIGHT  REQUESTS  ERRORS  ERR%  P50     P99      RECENT (10s)
                1.0.0    stable  75%     1500      0       0%    1.2 ms  3.1 ms   300 req, 0 err, p99 3 ms
                1.1.0    canary  25%     500       10      2%    1.4 ms  4.25 ms  100 req, 2 err

                NODE       STATE  REVISION  CURRENT
                node-8000  LIVE   12        yes
                node-8001  LIVE   11        behind
                """, render(StatusCommand.modelTable(r)));
    }
}
