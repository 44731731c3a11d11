package io.modelmesh.cli.commands;

import io.modelmesh.api.DriftReport;
import io.modelmesh.api.FeatureDrift;
import io.modelmesh.api.Json;
import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.VersionDrift;
import io.modelmesh.api.VersionLatency;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.output.Printer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.modelmesh.cli.commands.Samples.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code top}, {@code drift} and the drift options of {@code register}, {@code deploy} and {@code canary}, through the
 * real SDK against a scripted control plane: request, output (exact for the table views), exit code.
 */
class CommandsForMonitoringAgainstFakeServersTest {
    private FakeServer cp;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private Result mmctl(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return Cli.run(ClientFactory.standard(), Map.of(), all);
    }

    private static String json(Object o) throws Exception {
        return Json.mapper().writeValueAsString(o);
    }

    static List<LatencyWindow> windows(long requests, long errors) {
        return List.of(new LatencyWindow(1, requests, errors, requests == 0 ? 0 : (double) errors / requests,
                        requests == 0 ? null : 0.42, requests == 0 ? null : 1.9, requests == 0 ? null : 12.6),
                new LatencyWindow(5, requests * 5, errors, 0, null, null, 13.2),
                new LatencyWindow(15, requests * 15, errors, 0, null, null, 14.7));
    }

    static List<LatencyReport> latency() {
        return List.of(new LatencyReport("iris", T, List.of(
                        new VersionLatency("1.0.0", RouteTarget.Role.STABLE, 90, windows(1200, 0)),
                        new VersionLatency("1.1.0", RouteTarget.Role.CANARY, 10, windows(130, 13)),
                        new VersionLatency("0.9.0", null, null, windows(0, 0)))),
                new LatencyReport("quiet", T, List.of()));
    }

    static DriftReport drift() {
        return new DriftReport("iris", 1000, true, List.of(
                new VersionDrift("1.0.0", RouteTarget.Role.STABLE, "evaluated", "served", 1000, 1000, 1000, 9500,
                        5230, 12,
                        T, 0.2, 0.0125, true, List.of(
                        new FeatureDrift("sepal_length", 0.012, 0.031, 0.7321, false),
                        new FeatureDrift("petal_length", 0.341, 0.214, 3.2e-21, true))),
                new VersionDrift("1.1.0", null, "filling_window", "file", 4000, 1000, 310, 310, 310, 0, null, 0.2,
                        0.0125, false, List.of())));
    }

    @Test
    void topPrintsEveryModelVersionOnceWhenPiped() throws Exception {
        cp.on("GET", "/monitoring/latency", 200, json(latency()));
        Result r = mmctl("top");
        assertEquals(0, r.code(), r.toString());
        assertEquals("""
                MODEL  VERSION  ROLE        REQ/1M  ERR/1M  P50      P95      P99    REQ/5M  P99/5M  REQ/15M  P99/15M
                iris   1.0.0    stable 90%  1200    0%      0.42 ms  1.90 ms  13 ms  6000    13 ms   18000    15 ms
                iris   1.1.0    canary 10%  130     10%     0.42 ms  1.90 ms  13 ms  650     13 ms   1950     15 ms
                iris   0.9.0    not routed  0       -       -        -        -      0       13 ms   0        15 ms
                """, r.out());
        assertFalse(r.out().contains(TopCommand.CLEAR), "no screen control when piped");
        assertEquals(1, cp.requests().size(), "once");
        assertEquals("", r.err());
    }

    @Test
    void topAsJsonIsTheReportsAndCountRepeatsIt() throws Exception {
        cp.on("GET", "/monitoring/latency", 200, json(latency()));
        Result r = mmctl("top", "-o", "json", "--count", "2", "--interval", "1ms");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, cp.requests().size());
        String once = Printer.json(Json.mapper().readValue(json(latency()), LatencyReport[].class)) + "\n";
        assertEquals(once + once, r.out());
    }

    @Test
    void topOnATerminalRedrawsInPlace() throws Exception {
        cp.on("GET", "/monitoring/latency", 200, json(latency()));
        CommandLine cl = MmCtl.commandLine(ClientFactory.standard(), new CliEnvironment(Map.of("MM_HOME",
                "/nonexistent/mmctl-test-home", "NO_COLOR", "1"), true));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("top", "--count", "3", "--interval", "1ms", "--control-plane", cp.uri().toString());
        assertEquals(0, code);
        String[] screens = out.toString().split(java.util.regex.Pattern.quote(TopCommand.CLEAR), -1);
        assertEquals(4, screens.length, "cleared before each of 3 screens: " + out);
        assertTrue(screens[3].startsWith("mmctl top: every 1ms, at 2026-11-24T09:47:00Z (Ctrl-C to stop)\n\nMODEL"),
                screens[3]);
        assertEquals(3, cp.requests().size());
    }

    @Test
    void topUsageErrorsAskNothing() {
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("top", "--count", "0").code());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("top", "--interval", "2").code());
        assertTrue(cp.requests().isEmpty());
    }

    @Test
    void topWithNothingServedSaysSo() throws Exception {
        cp.on("GET", "/monitoring/latency", 200, "[]");
        Result r = mmctl("top");
        assertEquals(0, r.code());
        assertEquals("no model has been deployed or served in the last 15 minutes\n", r.out());
    }

    @Test
    void driftShowsEachVersionAndItsFeatures() throws Exception {
        cp.on("GET", "/monitoring/drift/iris", 200, json(drift()));
        Result r = mmctl("drift", "iris");
        assertEquals(0, r.code(), r.toString());
        assertEquals("""
                version    1.0.0 (stable)
                state      DRIFTED (PSI > 0.2 or KS p < 0.0125)
                reference  1000 rows first served
                window     1000 of 1000 rows
                rows       5230 sampled of 9500 served (12 dropped: node queue full)
                evaluated  2026-11-24T09:47:00Z

                FEATURE       PSI    KS D   KS P     DRIFTED
                sepal_length  0.012  0.031  0.732    no
                petal_length  0.341  0.214  3.2e-21  yes

                version    1.1.0 (not routed)
                state      filling the window (310 of 1000 rows)
                reference  4000 rows from the registration's file
                window     310 of 1000 rows
                rows       310 sampled of 310 served
                evaluated  -
                """, r.out());
    }

    @Test
    void driftOfAnUnknownModelExitsThree() {
        cp.on("GET", "/monitoring/drift/nope", 404, "{\"status\":404,\"error\":\"not_found\","
                + "\"message\":\"model 'nope' is not registered\"}");
        Result r = mmctl("drift", "nope");
        assertEquals(ExitCodes.NOT_FOUND, r.code());
        assertEquals("error: model 'nope' is not registered\n", r.err());
    }

    @Test
    void registerSendsTheReferenceAsItsOwnPart(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("iris.onnx"), new byte[]{1, 2, 3});
        Path reference = Files.writeString(dir.resolve("train.csv"), "a,b\n1,2\n");
        cp.on("POST", "/models", 201, json(Samples.registration(true)));
        Result r = mmctl("register", "iris", "-f", model.toString(), "--reference", reference.toString());
        assertEquals(0, r.code(), r.toString());
        String body = cp.last("POST", "/models").body();
        assertTrue(body.contains("name=\"reference\"; filename=\"train.csv\"\r\nContent-Type: application/octet-stream"
                + "\r\n\r\na,b\n1,2\n\r\n"), body);
        Result missing = mmctl("register", "iris", "-f", model.toString(), "--reference", dir.resolve("no.csv")
                .toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.code());
        assertTrue(missing.err().contains("reference file not found"), missing.err());
    }

    @Test
    void deployAndCanarySendTheDriftSettings() throws Exception {
        cp.on("POST", "/deployments", 201, json(Samples.deployment("1.0.0", 1, 1)));
        assertEquals(0, mmctl("deploy", "iris", "--version", "1.0.0", "--drift-window", "5000").code());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.0.0\",\"drift_window\":5000}",
                cp.last("POST", "/deployments").body());
        cp.on("POST", "/deployments/canary", 201, json(Samples.rollout("RUNNING", "started")));
        assertEquals(0, mmctl("canary", "iris", "--version", "1.1.0", "--percent", "10", "--max-psi", "0.2").code());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"percent\":10,\"max_psi\":0.2}",
                cp.last("POST", "/deployments/canary").body());
        assertEquals("error rate <= 2%, input PSI <= 0.25", CanaryCommand.analysis(
                new io.modelmesh.api.AnalysisPolicy(0.02, null, null, null, 0.25)));
    }
}
