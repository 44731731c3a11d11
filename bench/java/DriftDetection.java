import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.FeatureDrift;
import io.modelmesh.api.Json;
import io.modelmesh.controlplane.drift.VersionWindow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The drift benchmark (bench/drift.sh runs it): does a shift of one standard deviation in one feature get flagged
 * within one window of 1,000 rows after it starts, and do 20 windows of unshifted data raise no alarm?
 *
 * <p>{@code pure TRIALS SEED}: the control plane's own detector ({@code VersionWindow}: served reference of the first
 * 1,000 rows, sliding window of 1,000, evaluated when a tenth of it is new, PSI + KS per feature) on four independent
 * standard-normal features, fed in chunks of 50 rows like outcome reports. Detection trials: reference, then a full
 * window and a random 0..999 further rows of unshifted data (so the shift starts at any phase of the evaluations),
 * then feature 0 shifted by +1 sd until the first drifted evaluation. False-alarm trials: reference, then 20 windows
 * (20,000 rows) unshifted; every evaluation counted.
 *
 * <p>{@code e2e CP_URL TOKEN_FILE NODE_URL MODEL SEED [PREDICT_TOKEN_FILE]} (the admin token for the control plane,
 * and a predict token for the node when it refuses anonymous predictions): the same against a running stack, end to
 * end: batch predictions of
 * iris-like rows (four features, sepal/petal means and spreads) to the node at about 250 rows/s, the node samples and
 * reports them, the control plane evaluates; GET /monitoring/drift/MODEL after every batch. Reference (1,000 rows),
 * 20 windows unshifted (alarms counted), then petal_length shifted by +1 sd until flagged.
 */
public final class DriftDetection {
    private static final int FEATURES = 4;
    private static final int WINDOW = 1000;
    private static final int CHUNK = 50;
    private static final List<String> NAMES = List.of("f0", "f1", "f2", "f3");
    private static final ObjectMapper JSON = Json.mapper();

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("pure")) {
            pure(Integer.parseInt(args[1]), Long.parseLong(args[2]));
        } else if (args.length >= 6 && args[0].equals("e2e")) {
            String token = java.nio.file.Files.readString(java.nio.file.Path.of(args[2])).trim();
            predictToken = args.length > 6 ? java.nio.file.Files.readString(java.nio.file.Path.of(args[6])).trim()
                    : null;
            e2e(URI.create(args[1]), token, URI.create(args[3]), args[4], Long.parseLong(args[5]));
        } else {
            System.err.println("usage: DriftDetection pure TRIALS SEED | e2e CP_URL TOKEN_FILE NODE_URL MODEL SEED "
                    + "[PREDICT_TOKEN_FILE]");
            System.exit(2);
        }
    }

    // ---- the detector alone ----------------------------------------------------------------------------------------

    static List<float[]> rows(Random r, int n, double shift) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] row = new float[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                row[f] = (float) (r.nextGaussian() + (f == 0 ? shift : 0));
            }
            out.add(row);
        }
        return out;
    }

    /** Feeds rows in chunks; returns each evaluation made, in order. */
    static List<VersionWindow.Evaluation> feed(VersionWindow w, List<float[]> rows) {
        List<VersionWindow.Evaluation> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += CHUNK) {
            w.add(rows.subList(i, Math.min(rows.size(), i + CHUNK)));
            if (w.due()) {
                out.add(w.evaluate(Instant.EPOCH));
            }
        }
        return out;
    }

    static VersionWindow served() {
        return new VersionWindow(NAMES, "served", List.of(), WINDOW, false, WINDOW);
    }

    /** PSI > 0.2 or KS p < ksLevel / features: the product's rule (ksLevel 0.05 / 200) and the alternatives'. */
    static boolean drifted(VersionWindow.Evaluation e, double ksLevel) {
        double p = ksLevel / e.features().size();
        return e.features().stream().anyMatch(f -> f.psi() > 0.2 || f.ksPValue() < p);
    }

    /** Index of the evaluation at which {@code k} consecutive evaluations have been drifted, or -1. */
    static int persistent(List<VersionWindow.Evaluation> evals, double ksLevel, int k) {
        int run = 0;
        for (int i = 0; i < evals.size(); i++) {
            run = drifted(evals.get(i), ksLevel) ? run + 1 : 0;
            if (run >= k) {
                return i;
            }
        }
        return -1;
    }

    /** How an alarm is raised: the product's rule, and the alternatives measured on the same evaluations. */
    record Variant(String name, double ksLevel, int consecutive) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("as built: PSI > 0.2 or KS p < 0.05/4/200 (Bonferroni over the features and the 200 "
                    + "evaluations of 20 windows)", 0.05 / 200, 1),
            new Variant("as issue 12 wrote it: PSI > 0.2 or KS p < 0.05/4, at any evaluation", 0.05, 1),
            new Variant("what if: issue 12's rule on 3 consecutive evaluations", 0.05, 3),
            new Variant("what if: KS p < 0.05/4/20 (Bonferroni over 20 windows too)", 0.05 / 20, 1));

    static void pure(int trials, long seed) {
        // detection: the evaluations after the shift starts, per trial
        List<List<VersionWindow.Evaluation>> afterShift = new ArrayList<>();
        List<List<Integer>> shiftedRowsAt = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Random r = new Random(seed + t);
            VersionWindow w = served();
            feed(w, rows(r, WINDOW + WINDOW + CHUNK * r.nextInt(WINDOW / CHUNK), 0));
            List<VersionWindow.Evaluation> evals = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            for (int shifted = CHUNK; shifted <= 3 * WINDOW; shifted += CHUNK) {
                w.add(rows(r, CHUNK, 1.0));
                if (w.due()) {
                    evals.add(w.evaluate(Instant.EPOCH));
                    at.add(shifted);
                }
            }
            afterShift.add(evals);
            shiftedRowsAt.add(at);
        }
        // false alarms: every evaluation over 20 windows of unshifted rows, per trial
        List<List<VersionWindow.Evaluation>> unshifted = new ArrayList<>();
        double maxPsi = 0;
        for (int t = 0; t < trials; t++) {
            Random r = new Random(seed + 1_000_000 + t);
            List<VersionWindow.Evaluation> evals = feed(served(), rows(r, WINDOW + 20 * WINDOW, 0));
            unshifted.add(evals);
            for (VersionWindow.Evaluation e : evals) {
                for (FeatureDrift f : e.features()) {
                    maxPsi = Math.max(maxPsi, f.psi());
                }
            }
        }

        System.out.println("### The detector alone (" + trials + " trials of each kind, seeds " + seed + "+ and "
                + (seed + 1_000_000) + "+)");
        System.out.println();
        System.out.println("Four independent standard-normal features, window 1,000 rows, served reference (the first "
                + "1,000 rows), rows fed in chunks of 50, evaluated whenever 100 rows are new. Detection: feature 0 "
                + "shifted by +1 sd at a random phase after a full window; delay = shifted rows fed until the alarm. "
                + "False alarms: 20 windows (20,000 rows) unshifted after the reference.");
        System.out.println();
        System.out.println("| alarm rule | flagged within 1,000 rows | delay min / median / p95 / max (rows) "
                + "| runs of 20 windows without alarm | drifted evaluations, unshifted |");
        System.out.println("|---|---:|---:|---:|---:|");
        String line = null;
        for (Variant v : VARIANTS) {
            List<Integer> delays = new ArrayList<>();
            int missed = 0;
            for (int t = 0; t < trials; t++) {
                int i = persistent(afterShift.get(t), v.ksLevel(), v.consecutive());
                if (i < 0) {
                    missed++;
                } else {
                    delays.add(shiftedRowsAt.get(t).get(i));
                }
            }
            Collections.sort(delays);
            long within = delays.stream().filter(d -> d <= WINDOW).count();
            int clean = 0;
            long evaluations = 0;
            long alarms = 0;
            for (List<VersionWindow.Evaluation> evals : unshifted) {
                clean += persistent(evals, v.ksLevel(), v.consecutive()) < 0 ? 1 : 0;
                evaluations += evals.size();
                alarms += evals.stream().filter(e -> drifted(e, v.ksLevel())).count();
            }
            System.out.printf(Locale.ROOT,
                    "| %s | %d of %d (%.1f %%)%s | %s | %d of %d (%.1f %%) | %d of %d (%.2f %%) |%n",
                    v.name(), within, trials, 100.0 * within / trials, missed > 0 ? ", " + missed + " missed" : "",
                    delays.isEmpty() ? "-" : delays.getFirst() + " / " + pct(delays, 0.5) + " / " + pct(delays, 0.95)
                            + " / " + delays.getLast(), clean, trials, 100.0 * clean / trials, alarms, evaluations,
                    100.0 * alarms / evaluations);
            if (line == null) {
                line = "DRIFT_PURE trials=" + trials + " within_window=" + within + " median_delay=" + pct(delays, 0.5)
                        + " max_delay=" + (delays.isEmpty() ? -1 : delays.getLast()) + " runs_without_alarm=" + clean
                        + " evaluation_alarm_rate=" + String.format(Locale.ROOT, "%.4f", (double) alarms / evaluations);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Highest PSI of any feature at any unshifted evaluation: %.3f (threshold 0.2): "
                + "the unshifted alarms are the KS test's.%n%n", maxPsi);
        System.out.println(line);
    }

    static int pct(List<Integer> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    // ---- end to end ------------------------------------------------------------------------------------------------

    private static final double[] MEAN = {5.84, 3.06, 3.76, 1.20};
    private static final double[] SD = {0.83, 0.44, 1.77, 0.76};
    private static final int SHIFTED = 2; // petal_length
    private static final int BATCH = 25;
    private static final long PAUSE_MS = 100;
    /** The token predictions carry (null: anonymous, as a node on loopback allows by default). */
    private static String predictToken;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    static void e2e(URI cp, String token, URI node, String model, long seed) throws Exception {
        Random r = new Random(seed);
        long t0 = System.nanoTime();
        sendUntil(r, node, model, 0, cp, token, d -> d.path("reference_rows").asInt() >= WINDOW, 4 * WINDOW,
                "the served reference");
        JsonNode v = version(cp, token, model);
        System.out.println("### End to end: a real node and control plane (model " + model + ", seed " + seed + ")");
        System.out.println();
        System.out.printf(Locale.ROOT, "Reference complete: %d rows (%s) after %.1f s.%n%n",
                v.path("reference_rows").asInt(), v.path("reference_source").asText(), (System.nanoTime() - t0) / 1e9);

        // 20 windows of unshifted rows: count the evaluations and alarms the control plane reports
        String lastEval = v.path("evaluated_at").asText("");
        long receivedBefore = v.path("rows_received").asLong();
        int evaluations = 0;
        int alarms = 0;
        long sent = 0;
        long t1 = System.nanoTime();
        while (sent < 20L * WINDOW) {
            send(node, model, rows(r, 0));
            sent += BATCH;
            JsonNode d = version(cp, token, model);
            String at = d.path("evaluated_at").asText("");
            if (!at.isEmpty() && !at.equals(lastEval)) {
                evaluations++;
                if (d.path("drifted").asBoolean()) {
                    alarms++;
                    StringBuilder why = new StringBuilder();
                    for (JsonNode f : d.path("features")) {
                        if (f.path("drifted").asBoolean()) {
                            why.append(String.format(Locale.ROOT, " %s (PSI %.3f, KS D %.3f, p %.2g)",
                                    f.path("feature").asText(), f.path("psi").asDouble(),
                                    f.path("ks_statistic").asDouble(), f.path("ks_p_value").asDouble()));
                        }
                    }
                    System.out.println("- alarm at unshifted evaluation " + evaluations + ":" + why);
                }
                lastEval = at;
            }
            Thread.sleep(PAUSE_MS);
        }
        waitForReports();
        JsonNode after = version(cp, token, model);
        System.out.printf(Locale.ROOT, "%nUnshifted: %d rows sent over %.0f s, %d received by the control plane, %d "
                        + "evaluations seen (the control plane evaluates at most once per node report), %d "
                        + "drifted.%n%n",
                sent, (System.nanoTime() - t1) / 1e9, after.path("rows_received").asLong() - receivedBefore,
                evaluations, alarms);

        // the shift
        long received0 = after.path("rows_received").asLong();
        long shifted = 0;
        long t2 = System.nanoTime();
        JsonNode flagged = null;
        while (flagged == null && shifted < 4L * WINDOW) {
            send(node, model, rows(r, 1.0));
            shifted += BATCH;
            JsonNode d = version(cp, token, model);
            String at = d.path("evaluated_at").asText("");
            if (!at.equals(lastEval) && d.path("drifted").asBoolean()) {
                flagged = d;
            }
            lastEval = at;
            Thread.sleep(PAUSE_MS);
        }
        if (flagged == null) {
            System.out.println("Shift NOT flagged within " + shifted + " shifted rows.");
            System.out.println("DRIFT_E2E flagged=false shifted_rows=" + shifted + " unshifted_alarms=" + alarms);
            return;
        }
        long receivedShifted = flagged.path("rows_received").asLong() - received0;
        System.out.printf(Locale.ROOT, "Shift of +1 sd in petal_length flagged after %d shifted rows were sent "
                        + "(%d had reached the control plane), %.1f s after it started.%n%n", shifted, receivedShifted,
                (System.nanoTime() - t2) / 1e9);
        System.out.println("| feature | PSI | KS D | KS p | drifted |");
        System.out.println("|---|---:|---:|---:|---|");
        for (JsonNode f : flagged.path("features")) {
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2g | %s |%n", f.path("feature").asText(),
                    f.path("psi").asDouble(), f.path("ks_statistic").asDouble(), f.path("ks_p_value").asDouble(),
                    f.path("drifted").asBoolean() ? "yes" : "no");
        }
        System.out.println();
        System.out.println("DRIFT_E2E flagged=true shifted_rows_sent=" + shifted + " shifted_rows_received="
                + receivedShifted + " unshifted_evaluations=" + evaluations + " unshifted_alarms=" + alarms);
    }

    interface Done {
        boolean test(JsonNode version);
    }

    static void sendUntil(Random r, URI node, String model, double shift, URI cp, String token, Done done, int max,
                          String what) throws Exception {
        for (int sent = 0; sent < max; sent += BATCH) {
            send(node, model, rows(r, shift));
            if (done.test(version(cp, token, model))) {
                return;
            }
            Thread.sleep(PAUSE_MS);
        }
        throw new IllegalStateException(what + " was not complete after " + max + " rows");
    }

    /** One batch of iris-like rows, petal_length shifted by {@code shift} of its sd. */
    static String rows(Random r, double shift) {
        StringBuilder sb = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < BATCH; i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int f = 0; f < FEATURES; f++) {
                double v = MEAN[f] + SD[f] * (r.nextGaussian() + (f == SHIFTED ? shift : 0));
                sb.append(f == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v));
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    static void send(URI node, String model, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.resolve("/predict/" + model + "/batch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (predictToken != null) {
            b.header("Authorization", "Bearer " + predictToken);
        }
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("predict answered " + res.statusCode() + ": " + res.body());
        }
    }

    static JsonNode version(URI cp, String token, String model) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(cp.resolve("/monitoring/drift/" + model))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("GET /monitoring/drift/" + model + " answered " + res.statusCode() + ": "
                    + res.body());
        }
        return JSON.readTree(res.body()).path("versions").path(0);
    }

    /** Lets the node's next report (every second) arrive. */
    static void waitForReports() throws InterruptedException {
        Thread.sleep(2500);
    }
}
