package io.modelmesh.cli.commands;

import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.api.Fault;
import io.modelmesh.api.ManifestChange;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Printer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.modelmesh.cli.commands.Samples.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void historyIsOldestFirstAndMarksAFaultOnlyOnTheCurrentRevisionWhileItIsActive() {
        Fault forever = new Fault(1.0, 0, null);
        Fault expiring = new Fault(0.5, 0, T.plusSeconds(30));
        DeploymentStatus chaos = new DeploymentStatus(2, "iris", withFault(Samples.route("1.0.0"), forever), T,
                "alice", "chaos on 1.0.0: 100% errors, until cleared", 2, 2, List.of(), null);
        DeploymentStatus cleared = new DeploymentStatus(3, "iris", withFault(Samples.route("1.0.0"), expiring), T,
                "alice", "chaos on 1.0.0: 50% errors, for 30 s", 2, 2, List.of(), null);
        DeploymentStatus first = new DeploymentStatus(1, "iris", Samples.route("1.0.0"), T, "alice",
                "deploy 1.0.0 at 100%", 2, 2, List.of(), null);
        assertEquals("""
                REVISION  TIME                  AUTHOR  STRATEGY  CHANGE                                      TRAFFIC
                1         2026-11-24T09:47:00Z  alice   -         deploy 1.0.0 at 100%                        1.0.0 100%
                2         2026-11-24T09:47:00Z  alice   -         chaos on 1.0.0: 100% errors, until cleared  1.0.0 100%
                3         2026-11-24T09:47:00Z  alice   -         chaos on 1.0.0: 50% errors, for 30 s        1.0.0 100% (fault)
                """, render(HistoryCommand.table(List.of(cleared, chaos, first), T.plusSeconds(10))),
                "newest first from the control plane, oldest first on screen; revision 2's fault is not served");
        assertTrue(render(HistoryCommand.table(List.of(cleared, chaos, first), T.plusSeconds(30)))
                .endsWith("for 30 s        1.0.0 100%\n"), "an expired fault is not marked");
    }

    @Test
    void statusShowsWhatServesUnderEveryStrategy() {
        Instant now = T.plusSeconds(5);
        // single version, with a fault in force until a time
        DeploymentStatus single = new DeploymentStatus(4, "iris", withFault(Samples.route("1.0.0"),
                new Fault(0.25, 200, T.plusSeconds(35))), T, "alice", "chaos", 2, 2, List.of(), null, 50, "chaos");
        String s = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary("1.0.0"), single,
                List.of(), Samples.rollout("PROMOTED", "promoted long ago"), null), now)));
        assertTrue(s.contains("live 1.0.0\n"), s);
        assertTrue(s.contains("strategy single version\n"), s);
        assertTrue(s.contains("fault 1.0.0: 25% errors, +200 ms, until 2026-11-24T09:47:35Z (30 s left)\n"),
                s);
        assertFalse(s.contains("rollout"), "a rollout that does not belong to this deployment is not shown: " + s);
        String expired = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary("1.0.0"),
                single), T.plusSeconds(35))));
        assertFalse(expired.contains("fault"), expired);

        // A/B split: both arms live, the old promoted canary not shown
        ModelRoute ab = new ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", Samples.SHA, 1536, 50, RouteTarget.Role.ARM, Samples.schema()),
                new RouteTarget("1.1.0", "onnx", Samples.SHA, 1536, 50, RouteTarget.Role.ARM, Samples.schema())),
                "X-Customer");
        DeploymentStatus split = new DeploymentStatus(5, "iris", ab, T.plusSeconds(1), "alice", "ab", 2, 2, List.of(),
                new DeploymentSpec(DeploymentSpec.Strategy.AB, null, null, null, null, null, null));
        String a = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary(null), split,
                List.of(), Samples.rollout("PROMOTED", "promoted"), null), now)));
        assertTrue(a.contains("live 1.0.0, 1.1.0 (A/B arms)\n"), a);
        assertTrue(a.contains("strategy A/B split (sticky key X-Customer)\n"), a);
        assertTrue(a.contains("targets 1.0.0 50% arm\n 1.1.0 50% arm\n"), a);
        assertFalse(a.contains("rollout"), a);

        // shadow
        ModelRoute shadowRoute = new ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", Samples.SHA, 1536, 100, RouteTarget.Role.STABLE, Samples.schema()),
                new RouteTarget("1.1.0", "onnx", Samples.SHA, 1536, 50, RouteTarget.Role.SHADOW, Samples.schema())),
                null);
        String sh = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary("1.0.0"),
                new DeploymentStatus(6, "iris", shadowRoute, T, "alice", "shadow", 2, 2, List.of(), null)), now)));
        assertTrue(sh.contains("live 1.0.0\n"), sh);
        assertTrue(sh.contains("strategy shadow (users get the stable answer)\n"), sh);
        assertTrue(sh.contains("1.1.0 50% shadow"), sh);

        // canary: its running rollout shown; after its rollback, the rollout that left this split is still shown
        DeploymentSpec canarySpec = new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                new io.modelmesh.api.CanarySpec("1.1.0", 25, List.of(), null, null), null, null, null, null);
        DeploymentStatus canary = new DeploymentStatus(7, "iris", Samples.canaryRoute(), T, "alice", "canary", 2, 2,
                List.of(), canarySpec, 40, "api");
        String c = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary("1.0.0"), canary,
                List.of(), Samples.rollout("RUNNING", "healthy"), null), now)));
        assertTrue(c.contains("strategy canary\n"), c);
        assertTrue(c.contains("rollout 7 RUNNING: 1.1.0 at 25%"), c);
        String rolledBack = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary("1.0.0"),
                new DeploymentStatus(8, "iris", Samples.route("1.0.0"), T, "rollout-controller", "automatic rollback",
                        2, 2, List.of(), canarySpec, 41, "controller"), List.of(),
                Samples.rollout("ROLLED_BACK", "error rate 60.0% > 5.0%"), null), now)));
        assertTrue(rolledBack.contains("strategy single version\n"), rolledBack);
        assertTrue(rolledBack.contains("rollout 7 ROLLED_BACK: 1.1.0 at 25%"), rolledBack);

        // undeployed
        String off = flat(render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary(null),
                new DeploymentStatus(9, "iris", new ModelRoute("iris", List.of(), null), T, "alice", "undeploy", 2, 2,
                        List.of(), null)), now)));
        assertTrue(off.contains("live -\n"), off);
        assertTrue(off.contains("strategy none (undeployed: no version serves traffic)\n"), off);
    }

    @Test
    void promoteShowsTheNewStableVersion() {
        String s = flat(render(CanaryCommand.table(Samples.rollout("PROMOTED", "promoted by alice"))));
        assertTrue(s.contains("stable 1.1.0 (promoted; was 1.0.0)\n"), s);
    }

    @Test
    void registerSaysLiveForAVersionServingAsAnArm() {
        ModelRoute ab = new ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", Samples.SHA, 1536, 50, RouteTarget.Role.ARM, Samples.schema()),
                new RouteTarget("1.1.0", "onnx", Samples.SHA, 1536, 50, RouteTarget.Role.ARM, Samples.schema())),
                null);
        DeploymentStatus split = new DeploymentStatus(5, "iris", ab, T, "alice", "ab", 2, 2, List.of(), null);
        String s = flat(render(RegisterCommand.table(new io.modelmesh.api.RegistrationResult(Samples.version("1.0.0", null),
                false, split))));
        assertTrue(s.contains("live yes, A/B arm at 50%, revision 5, on 2/2 nodes"), s);
        String stable = flat(render(RegisterCommand.table(Samples.registration(true))));
        assertTrue(stable.contains("live yes, revision 3, on 2/2 nodes"), stable);
        String no = flat(render(RegisterCommand.table(Samples.registration(false))));
        assertTrue(no.contains("live no (put it live: mmctl deploy iris --version 1.0.0)"), no);
    }

    /** The text with runs of spaces as one, so a check does not depend on the key column's width. */
    private static String flat(String s) {
        return s.replaceAll(" {2,}", " ");
    }

    private static ModelRoute withFault(ModelRoute r, Fault f) {
        return new ModelRoute(r.model(), r.targets().stream().map(t -> t.withFault(f)).toList(), r.stickyKey(),
                r.policy());
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
                strategy        canary
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
