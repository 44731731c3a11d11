import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures automatic canary rollback: from the moment a fault starts on the canary to the moment every node no longer
 * routes to it. Run by bench/rollback.sh against a running stack (control plane + N nodes, separate processes), with
 * the model already registered as versions STABLE and CANARY.
 *
 * <p>Each trial: start a canary at PERCENT with the default analysis, wait until every node routes to it and it has
 * served healthy traffic for a moment, then record t0 and send {@code POST /deployments/chaos} (error rate RATE on the
 * canary). The fault starts on the nodes after t0 (when they apply the chaos revision), so t1 − t0 over-states the time
 * by the chaos push itself. t1 is the first moment at which every node's {@code GET /health} no longer lists the
 * canary version (each node polled every 5 ms). Load: an open-loop sender at RPS requests per second spread over the
 * nodes, each request with a random {@code X-User-Id}, running through all trials.
 *
 * <p>Usage: {@code java -cp 'lib/*' RollbackTime.java [--predict-token-file FILE] CP_URL ADMIN_TOKEN_FILE MODEL STABLE
 * CANARY TRIALS PERCENT RATE RPS NODE_URL...}. Every control-plane request carries the token in ADMIN_TOKEN_FILE (the
 * control plane's {@code HOME/admin-token}); with {@code --predict-token-file} every prediction carries that token
 * (for nodes started with {@code --allow-anonymous-predict=false}). Files, not tokens, on the command line: every user
 * of the machine can read command lines. Prints one line per trial, then
 * {@code ROLLBACK_RESULT n=.. p50_ms=.. p95_ms=.. max_ms=..}.
 */
public final class RollbackTime {
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String predictToken = null;
        int a = 0;
        if (args.length > 1 && args[0].equals("--predict-token-file")) {
            predictToken = readToken(args[1]);
            a = 2;
        }
        if (args.length - a < 10) {
            System.err.println("usage: RollbackTime [--predict-token-file FILE] CP_URL ADMIN_TOKEN_FILE MODEL STABLE "
                    + "CANARY TRIALS PERCENT RATE RPS NODE_URL...");
            System.exit(2);
        }
        URI cp = URI.create(args[a]);
        String token = readToken(args[a + 1]);
        String model = args[a + 2];
        String stable = args[a + 3];
        String canary = args[a + 4];
        int trials = Integer.parseInt(args[a + 5]);
        int percent = Integer.parseInt(args[a + 6]);
        double rate = Double.parseDouble(args[a + 7]);
        int rps = Integer.parseInt(args[a + 8]);
        List<URI> nodes = new ArrayList<>();
        for (int i = a + 9; i < args.length; i++) {
            nodes.add(URI.create(args[i]));
        }

        Load load = new Load(nodes, model, rps, predictToken);
        Thread sender = Thread.ofPlatform().name("load").start(load);
        List<Double> times = new ArrayList<>();
        try {
            deploy(cp, model, stable, token);
            for (int t = 1; t <= trials; t++) {
                JsonNode rollout = post(cp, "/deployments/canary", "{\"model\":\"" + model + "\",\"version\":\""
                        + canary + "\",\"percent\":" + percent + "}", token);
                long id = rollout.path("id").asLong();
                awaitAll(nodes, model, canary, true, Duration.ofSeconds(30));
                long servedBefore = load.served.get();
                long healthyUntil = System.nanoTime() + Duration.ofMillis(2500).toNanos();
                while (System.nanoTime() < healthyUntil) {
                    LockSupport.parkNanos(10_000_000);
                }
                long t0 = System.nanoTime();
                post(cp, "/deployments/chaos", "{\"model\":\"" + model + "\",\"version\":\"" + canary
                        + "\",\"error_rate\":" + rate + "}", token);
                long acked = System.nanoTime();
                long t1 = awaitAll(nodes, model, canary, false, Duration.ofSeconds(60));
                double ms = (t1 - t0) / 1e6;
                times.add(ms);
                JsonNode after = get(cp, "/deployments/canary/" + id, token);
                System.out.printf(Locale.ROOT, "trial %d: rollback on all %d nodes %.0f ms after the fault was sent "
                                + "(chaos acknowledged after %.0f ms; %d requests served before); rollout %s: %s%n",
                        t, nodes.size(), ms, (acked - t0) / 1e6, load.served.get() - servedBefore,
                        after.path("state").asText(), after.path("reason").asText());
                deploy(cp, model, stable, token); // clears the chaos revision's fault with a fresh full rollout
            }
        } finally {
            load.stop.set(true);
            sender.join(5_000);
        }
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "ROLLBACK_RESULT n=%d p50_ms=%.0f p95_ms=%.0f max_ms=%.0f min_ms=%.0f "
                        + "requests=%d failed=%d%n", sorted.size(), quantile(sorted, 0.5), quantile(sorted, 0.95),
                sorted.getLast(), sorted.getFirst(), load.served.get(), load.failed.get());
    }

    /** Nearest-rank quantile of sorted values. */
    static double quantile(List<Double> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** Polls every node's /health every 5 ms until each (does or does not) list the version; returns when all do. */
    static long awaitAll(List<URI> nodes, String model, String version, boolean present, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean[] done = new boolean[nodes.size()];
        while (true) {
            boolean all = true;
            for (int i = 0; i < nodes.size(); i++) {
                if (!done[i]) {
                    JsonNode versions = get(nodes.get(i), "/health", null).path("models").path(model);
                    boolean listed = false;
                    for (JsonNode v : versions) {
                        listed |= v.asText().equals(version);
                    }
                    done[i] = listed == present;
                    all &= done[i];
                }
            }
            if (all) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nodes did not " + (present ? "start" : "stop") + " routing to "
                        + model + " " + version + " within " + timeout);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** The token in FILE (its first line, trimmed); exits 2 when the file cannot be read or holds none. */
    static String readToken(String file) {
        try {
            Optional<String> line = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            System.err.println("RollbackTime: the token file " + file + " is empty");
        } catch (IOException e) {
            System.err.println("RollbackTime: cannot read the token file " + file + ": " + e);
        }
        System.exit(2);
        return null;
    }

    static void deploy(URI cp, String model, String version, String token) throws Exception {
        post(cp, "/deployments", "{\"model\":\"" + model + "\",\"version\":\"" + version + "\"}", token);
    }

    /** GET a JSON document, with {@code Authorization: Bearer TOKEN} unless token is null (a node's public /health). */
    static JsonNode get(URI base, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + base.resolve(path) + " -> " + res.statusCode() + ": " + res.body());
        }
        return JSON.readTree(res.body());
    }

    static JsonNode post(URI base, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-User", "bench")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + base.resolve(path) + " " + body + " -> " + res.statusCode()
                    + ": " + res.body());
        }
        return JSON.readTree(res.body());
    }

    /**
     * Open-loop prediction load: one request every 1/rps seconds, alternating nodes, each on a virtual thread; with a
     * predict token when one is given.
     */
    static final class Load implements Runnable {
        final List<URI> nodes;
        final String model;
        final int rps;
        final String token;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong served = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        Load(List<URI> nodes, String model, int rps, String token) {
            this.nodes = nodes;
            this.model = model;
            this.rps = rps;
            this.token = token;
        }

        @Override
        public void run() {
            long interval = 1_000_000_000L / rps;
            long next = System.nanoTime();
            long n = 0;
            while (!stop.get()) {
                URI node = nodes.get((int) (n++ % nodes.size()));
                Thread.startVirtualThread(() -> send(node));
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        private void send(URI node) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(node.resolve("/predict/" + model))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("X-User-Id", "user-" + ThreadLocalRandom.current().nextInt(1_000_000))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[5.9,3.0,5.1,1.8]}"));
                if (token != null) {
                    b.header("Authorization", "Bearer " + token);
                }
                int status = HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                (status == 200 ? served : failed).incrementAndGet();
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        }
    }
}
