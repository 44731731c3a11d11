package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import io.modelmesh.api.Prediction;
import io.modelmesh.cli.local.Stopper;
import io.modelmesh.cli.output.Printer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.modelmesh.cli.commands.Samples.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each command's table view: which columns, how values read. Pure. */
class ViewsTest {

    private static String render(List<io.modelmesh.cli.output.Block> blocks) {
        return Printer.render(blocks, false);
    }

    @Test
    void registerShowsVersionChecksumSizeSchemaAndWhereItIsLive() {
        assertEquals("""
                model      iris
                version    1.0.0
                framework  onnx
                sha256     9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                size       1.5 KiB (1536 bytes)
                inputs     input FP32 [-1,4]
                outputs    logits FP32 [-1,3]
                           probabilities FP32 [-1,3]
                features   sepal_length,sepal_width,petal_length,petal_width
                metadata   owner=ml
                stage      staging
                live       yes, revision 3, on 2/2 nodes
                """, render(RegisterCommand.table(Samples.registration(true))));
        assertTrue(render(RegisterCommand.table(Samples.registration(false)))
                .contains("live       no (put it live: mmctl deploy iris --version 1.0.0)"));
    }

    @Test
    void listShowsOneRowPerModel() {
        Page<ModelSummary> page = new Page<>(List.of(Samples.summary("1.0.0"),
                new ModelSummary("fraud", "sklearn", "0.1.0", null, 1, T)), 0, 50, 2);
        assertEquals("""
                NAME   FRAMEWORK  LATEST  LIVE   VERSIONS  CREATED
                iris   onnx       1.1.0   1.0.0  2         2026-11-24T09:47:00Z
                fraud  sklearn    0.1.0   -      1         2026-11-24T09:47:00Z
                """, render(ListCommand.table(page)));
        assertEquals("", render(ListCommand.table(new Page<>(List.of(), 0, 50, 0))));
    }

    @Test
    void versionsMarkTheLiveOne() {
        io.modelmesh.api.ModelVersion v1 = Samples.version("1.0.0", null);
        io.modelmesh.api.ModelVersion live = new io.modelmesh.api.ModelVersion(v1.model(), v1.version(),
                v1.framework(), v1.sha256(), v1.sizeBytes(), v1.schema(), v1.metadata(), v1.parent(), v1.createdAt(),
                v1.createdBy(), v1.served(), io.modelmesh.api.Stage.PRODUCTION);
        String s = render(VersionsCommand.table(List.of(live, Samples.version("1.1.0", "1.0.0")), "1.0.0"));
        assertEquals("""
                VERSION  LIVE  STAGE       FRAMEWORK  SHA256        SIZE     INPUT                                              OUTPUT                                      PARENT  CREATED               BY
                1.0.0    *     production  onnx       9f86d081884c  1.5 KiB  sepal_length,sepal_width,petal_length,petal_width  logits:FP32[-1,3] probabilities:FP32[-1,3]  -       2026-11-24T09:47:00Z  alice
                1.1.0          staging     onnx       9f86d081884c  1.5 KiB  sepal_length,sepal_width,petal_length,petal_width  logits:FP32[-1,3] probabilities:FP32[-1,3]  1.0.0   2026-11-24T09:47:00Z  alice
                """, s);
    }

    @Test
    void deployShowsRevisionTargetsAndAcks() {
        assertEquals("""
                model     iris
                revision  3
                change    deploy 1.1.0 at 100%
                targets   1.1.0 100% stable
                serving   no batching; no cache
                acks      1/2 nodes
                created   2026-11-24T09:47:00Z by alice
                errors    node-8001: timed out loading 1.1.0
                """, render(DeployCommand.table(Samples.deployment("1.1.0", 1, 2))));
    }

    @Test
    void predictShowsTheOutputs() {
        assertEquals("""
                model       iris
                version     1.0.0
                request id  req-1
                cached      no

                OUTPUT         VALUE
                logits         [12.665671348571777,3.1413557529449463,-18.237865447998047]
                probabilities  [0.9999269247055054,7.304835162358359E-5,3.7908126073946113E-14]
                """, render(PredictCommand.table(Samples.prediction())));
    }

    @Test
    void batchPredictShowsOneRowPerInputRow() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", List.of("setosa", "virginica"));
        out.put("probabilities", List.of(List.of(0.9, 0.1, 0.0), List.of(0.0, 0.2, 0.8)));
        String s = render(PredictCommand.batchTable(new Prediction("iris", "1.0.0", "r", true, out)));
        assertTrue(s.endsWith("""
                ROW  LABEL      PROBABILITIES
                0    setosa     [0.9,0.1,0.0]
                1    virginica  [0.0,0.2,0.8]
                """), s);
        assertTrue(s.contains("cached      yes"), s);
    }

    @Test
    void statusShowsHealthNodesAndModels() {
        StatusCommand.Report r = new StatusCommand.Report("http://127.0.0.1:8080",
                Map.of("status", "UP", "checks", Map.of("database", "UP")), 4L,
                List.of(Samples.node("node-8000", 8000, 4, "LIVE"), Samples.node("node-8001", 8001, 3, "DEAD")),
                List.of(Samples.summary("1.0.0")), Map.of("iris", Samples.route("1.0.0")));
        assertEquals("""
                control plane     http://127.0.0.1:8080
                status            UP
                database          UP
                routing revision  4

                NODE       URL                    STATE  REVISION  IN SYNC  LAST SEEN
                node-8000  http://127.0.0.1:8000  LIVE   4         yes      2026-11-24T09:47:00Z
                node-8001  http://127.0.0.1:8001  DEAD   3         behind   2026-11-24T09:47:00Z

                MODEL  FRAMEWORK  LIVE   LATEST  VERSIONS  TRAFFIC
                iris   onnx       1.0.0  1.1.0   2         1.0.0=100%
                """, render(StatusCommand.table(r)));
    }

    @Test
    void statusOfAModelWithoutDeploymentSaysHowToDeploy() {
        String s = render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary(null), null)));
        assertTrue(s.contains("deployment  none (put a version live: mmctl deploy iris --version X.Y.Z)"), s);
        String d = render(StatusCommand.modelTable(new StatusCommand.ModelReport(Samples.summary("1.0.0"),
                Samples.deployment("1.0.0", 2, 2))));
        assertTrue(d.contains("acks       2/2 nodes"), d);
    }

    @Test
    void upShowsEndpointsAndDownWhatItStopped() {
        UpCommand.Endpoint cp = new UpCommand.Endpoint("control-plane", "http://127.0.0.1:8080", 10, "started",
                "/h/logs/control-plane.log");
        UpCommand.Endpoint cp2 = new UpCommand.Endpoint("control-plane-2", "http://127.0.0.1:8081", 12, "started",
                "/h/logs/control-plane-2.log");
        UpCommand.Result r = new UpCommand.Result("/h", cp, List.of(cp, cp2), List.of(new UpCommand.Endpoint(
                "node-8000", "http://127.0.0.1:8000", 11, "already running", "/h/logs/node-8000.log")), "/h/logs", true,
                null);
        assertEquals("""
                NAME             URL                    PID  STATE
                control-plane    http://127.0.0.1:8080  10   started
                control-plane-2  http://127.0.0.1:8081  12   started
                node-8000        http://127.0.0.1:8000  11   already running

                home  /h
                logs  /h/logs
                """, render(UpCommand.table(r)));
        assertEquals("""
                NAME           PID  RESULT
                node-8000      11   stopped
                control-plane  10   killed after 15 s
                """, render(DownCommand.table(List.of(new Stopper.Stopped("node-8000", 11, Stopper.STOPPED),
                new Stopper.Stopped("control-plane", 10, Stopper.KILLED)))));
    }
}
