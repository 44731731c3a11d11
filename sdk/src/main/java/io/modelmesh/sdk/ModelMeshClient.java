package io.modelmesh.sdk;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.AbRequest;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.DriftReport;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelDeletion;
import io.modelmesh.api.ModelAlias;
import io.modelmesh.api.AliasRequest;
import io.modelmesh.api.Stage;
import io.modelmesh.api.StageRequest;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Page;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RollbackRequest;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.api.TokenInfo;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.security.PemTrust;
import io.modelmesh.api.security.Redaction;
import io.modelmesh.api.trace.TraceParent;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Java client for ModelMesh: the control plane (registry, deployments, nodes) and the data plane (predictions). Thread-safe;
 * create one and share it. Failures surface as {@link ModelMeshException} subclasses carrying the server's error body.
 * {@link #close()} stops its connections and selector thread; a short-lived program should close it before it exits.
 */
public final class ModelMeshClient implements AutoCloseable {
    public static final URI DEFAULT_CONTROL_PLANE = URI.create("http://127.0.0.1:8080");

    private final List<URI> controlPlanes;
    /** The control plane calls go to first: the one that answered last. */
    private volatile int preferred;
    private final List<URI> configuredDataPlanes;
    private volatile List<URI> dataPlanes;
    private final Duration timeout;
    private final String token;
    private final String predictToken;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();
    private final RetryPolicy retry;
    private volatile NodeBalancer balancer;
    /** The trace every call is a span of, or null: each call then starts a new trace. */
    private final TraceParent trace;
    private volatile TraceParent lastTrace;

    private ModelMeshClient(Builder b) {
        this.trace = null;
        this.retry = b.retry;
        if (b.controlPlanes.isEmpty()) {
            throw new IllegalArgumentException("at least one control-plane URL");
        }
        this.controlPlanes = b.controlPlanes.stream().map(ModelMeshClient::strip).toList();
        this.configuredDataPlanes = b.dataPlanes.stream().map(ModelMeshClient::strip).toList();
        this.dataPlanes = configuredDataPlanes;
        this.timeout = b.timeout;
        this.token = b.token;
        this.predictToken = b.predictToken != null ? b.predictToken : b.token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(b.sslContext != null ? b.sslContext : PemTrust.sslContext(b.trust))
                // its own parameters (the JDK's defaults apply to each connection), so building the client does not
                // make the JDK's default TLS context, which a plain-http client never uses (PemTrust.lazyDefault)
                .sslParameters(new SSLParameters())
                .build();
    }

    private ModelMeshClient(ModelMeshClient base, String token, TraceParent trace) {
        this.trace = trace;
        this.retry = base.retry;
        this.controlPlanes = base.controlPlanes;
        this.preferred = base.preferred;
        this.configuredDataPlanes = base.configuredDataPlanes;
        this.dataPlanes = base.dataPlanes;
        this.timeout = base.timeout;
        this.token = token;
        this.predictToken = base.predictToken;
        this.http = base.http;
        this.balancer = base.balancer;
    }

    /** This client (same connections) sending another token to the control plane. */
    public ModelMeshClient withToken(String controlPlaneToken) {
        return new ModelMeshClient(this, controlPlaneToken, trace);
    }

    /**
     * This client (same connections) making every call a span of {@code parent}'s trace: each request carries a
     * {@code traceparent} with the trace's id and a new span id, which the servers log and hand on to the nodes.
     * Without it each call starts its own trace.
     */
    public ModelMeshClient withTrace(TraceParent parent) {
        return new ModelMeshClient(this, token, parent);
    }

    /**
     * Stops the HTTP client: open connections are closed and its selector thread ends; calls made afterwards fail.
     * Clients derived with {@link #withToken} or {@link #withTrace} share the connections, so this closes them too.
     * Closing matters for a short-lived JVM: while the selector thread waits in the kernel, the JVM's exit waits
     * 300 ms for it (docs/benchmark_results.md, the mmctl section). Idempotent.
     */
    @Override
    public void close() {
        http.shutdownNow();
    }

    /** The trace id the last request was sent with, or null before the first one. */
    public String lastTraceId() {
        TraceParent t = lastTrace;
        return t == null ? null : t.traceId();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The control plane calls go to first now (the one that answered last). */
    public URI controlPlane() {
        return controlPlanes.get(preferred);
    }

    /** Every control plane this client knows, in the order given. */
    public List<URI> controlPlanes() {
        return controlPlanes;
    }

    // ---- registry ----------------------------------------------------------------------------------------------

    /** Uploads an artifact (streamed from disk) and registers it as a new version. */
    public RegistrationResult register(Registration r) {
        return register(r, null);
    }

    /**
     * Uploads an artifact (streamed from disk) and registers it as a new version.
     *
     * @param progress hears the number of the file's bytes sent so far (from the client's I/O threads), or null; after
     *                 the last byte the control plane still validates the model before it answers
     */
    public RegistrationResult register(Registration r, java.util.function.LongConsumer progress) {
        Multipart form = new Multipart().field("name", r.name());
        if (r.version() != null) {
            form.field("version", r.version());
        }
        if (r.framework() != null) {
            form.field("framework", r.framework().wireName());
        }
        if (!r.features().isEmpty()) {
            form.field("features", String.join(",", r.features()));
        }
        r.metadata().forEach((k, v) -> form.field("meta", k + "=" + v));
        form.field("deploy", Boolean.toString(r.deploy()));
        if (r.reference() != null) {
            try {
                form.file("reference", r.reference());
            } catch (FileNotFoundException e) {
                throw new ModelMeshException.InvalidRequestException(new ErrorBody(400, "invalid_input",
                        "cannot read the reference " + r.reference() + ": no such file", null));
            }
        }
        try {
            form.file("file", r.file(), progress);
        } catch (FileNotFoundException e) {
            throw new ModelMeshException.InvalidRequestException(new ErrorBody(400, "invalid_input",
                    "cannot read " + r.file() + ": no such file", null));
        }
        HttpRequest.BodyPublisher body = form.build();
        return onControlPlane(base -> send(request(base, "/models", null)
                .timeout(Duration.ofMinutes(30))
                .header("Content-Type", form.contentType())
                .POST(body).build(), RegistrationResult.class, base));
    }

    public Page<ModelSummary> listModels(int page, int size, String framework) {
        String q = "/models?page=" + page + "&size=" + size + (framework == null ? "" : "&framework=" + enc(framework));
        return get(q, json.getTypeFactory().constructParametricType(Page.class, ModelSummary.class));
    }

    public ModelSummary model(String name) {
        return get("/models/" + enc(name), json.constructType(ModelSummary.class));
    }

    public List<ModelVersion> versions(String name) {
        return get("/models/" + enc(name) + "/versions", json.getTypeFactory()
                .constructCollectionType(List.class, ModelVersion.class));
    }

    /**
     * Deletes one version ({@code version} given) or the whole model with its history (null), and the stored files
     * no remaining version uses.
     *
     * @throws ModelMeshException.ConflictException while the version (or any version of the model) serves traffic
     * @throws ModelMeshException.NotFoundException when there is no such model or version
     */
    public ModelDeletion delete(String name, String version) {
        String path = "/models/" + enc(name) + (version == null ? "" : "/versions/" + enc(version));
        return delete(path, ModelDeletion.class);
    }

    // ---- aliases and stages --------------------------------------------------------------------------------------

    /** Points the model's alias at a version (or at the version another alias names: {@code @champion}). */
    public ModelAlias setAlias(String model, String alias, String version) {
        return put("/models/" + enc(model) + "/aliases/" + enc(stripAt(alias)), new AliasRequest(version),
                ModelAlias.class);
    }

    /** The model's aliases, by name. */
    public List<ModelAlias> aliases(String model) {
        return get("/models/" + enc(model) + "/aliases", json.getTypeFactory()
                .constructCollectionType(List.class, ModelAlias.class));
    }

    /** Every model's aliases, by model and name. */
    public List<ModelAlias> aliases() {
        return get("/aliases", json.getTypeFactory().constructCollectionType(List.class, ModelAlias.class));
    }

    /** Removes the alias; the alias removed, or empty when there was none (removal is idempotent). */
    public java.util.Optional<ModelAlias> deleteAlias(String model, String alias) {
        String path = "/models/" + enc(model) + "/aliases/" + enc(stripAt(alias));
        return onControlPlane(base -> {
            HttpRequest req = request(base, path, Duration.ofMinutes(5)).DELETE().build();
            ModelAlias found = send(req, json.constructType(ModelAlias.class), base, true);
            return java.util.Optional.ofNullable(found);
        });
    }

    /** Sets the stage of a version (named by version or alias); a stage labels a version, it never moves traffic. */
    public ModelVersion setStage(String model, String version, Stage stage) {
        return put("/models/" + enc(model) + "/versions/" + enc(version) + "/stage", new StageRequest(stage),
                ModelVersion.class);
    }

    private static String stripAt(String alias) {
        return alias != null && alias.startsWith("@") ? alias.substring(1) : alias;
    }

    // ---- deployments and nodes -----------------------------------------------------------------------------------

    /** Rolls one version out to 100 % and waits until live nodes acknowledge (or the server's push timeout passes). */
    public DeploymentStatus deploy(String model, String version) {
        return deploy(new DeployRequest(model, version));
    }

    /** The same, with batching and cache settings (null fields keep the model's current ones). */
    public DeploymentStatus deploy(DeployRequest request) {
        return post("/deployments", request, DeploymentStatus.class);
    }

    /**
     * What {@link #deploy(DeployRequest)} would do, checked by the control plane but not written or pushed
     * ({@code POST /deployments?dry_run=true}): a status with id 0 whose {@code change} says what would change.
     */
    public DeploymentStatus previewDeploy(DeployRequest request) {
        return post("/deployments?dry_run=true", request, DeploymentStatus.class);
    }

    /** Takes the model off the routing table: no version serves traffic until one is deployed again. */
    public DeploymentStatus undeploy(String model) {
        return delete("/deployments/" + enc(model), DeploymentStatus.class);
    }

    /** The model's current deployment revision and how many nodes serve it. */
    public DeploymentStatus deployment(String model) {
        return get("/deployments/" + enc(model), json.constructType(DeploymentStatus.class));
    }

    public List<NodeStatus> nodes() {
        return get("/nodes", json.getTypeFactory().constructCollectionType(List.class, NodeStatus.class));
    }

    public RoutingTable routing() {
        return get("/routing", json.constructType(RoutingTable.class));
    }

    /** The control plane's health document ({@code status}, {@code checks}). */
    public Map<String, Object> health() {
        return get("/health", json.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    /**
     * Every deployment revision of a model, newest first as the control plane sends them (each with the model's own
     * revision number, its spec, author, time and change); {@code mmctl history} prints them oldest first.
     */
    public List<DeploymentStatus> history(String model) {
        return get("/deployments/" + enc(model) + "/history", json.getTypeFactory()
                .constructCollectionType(List.class, DeploymentStatus.class));
    }

    /**
     * Rolls a model back: to {@code toRevision}'s traffic split (as a new revision) when given, else the running canary
     * back to 0 %, else to the revision before the current one.
     */
    public DeploymentStatus rollback(String model, Long toRevision) {
        return post("/deployments/" + enc(model) + "/rollback", new RollbackRequest(toRevision),
                DeploymentStatus.class);
    }

    // ---- rollouts ----------------------------------------------------------------------------------------------

    /** Starts a canary next to the model's stable version, under automatic analysis. */
    public RolloutStatus canary(CanaryRequest request) {
        return post("/deployments/canary", request, RolloutStatus.class);
    }

    public RolloutStatus rollout(long id) {
        return get("/deployments/canary/" + id, json.constructType(RolloutStatus.class));
    }

    /** The model's latest rollout (404 {@link ModelMeshException.NotFoundException} when it never had one). */
    public RolloutStatus rolloutOf(String model) {
        return get("/deployments/" + enc(model) + "/canary", json.constructType(RolloutStatus.class));
    }

    /** Promotes the model's running canary to 100 %. */
    public RolloutStatus promote(String model) {
        return post("/deployments/" + enc(model) + "/promote", null, RolloutStatus.class);
    }

    public RolloutStatus promoteRollout(long id) {
        return post("/deployments/canary/" + id + "/promote", null, RolloutStatus.class);
    }

    public RolloutStatus rollbackRollout(long id) {
        return post("/deployments/canary/" + id + "/rollback", null, RolloutStatus.class);
    }

    /** Aborts the model's running canary (Argo's abort): back to 0 %, the rollout ends ABORTED. */
    public RolloutStatus abortRollout(String model) {
        return post("/rollouts/" + enc(model) + "/abort", null, RolloutStatus.class);
    }

    /** Pauses the model's running canary: it keeps its share, and neither steps nor its analysis act until resumed. */
    public RolloutStatus pauseRollout(String model) {
        return post("/rollouts/" + enc(model) + "/pause", null, RolloutStatus.class);
    }

    /** Resumes the model's paused canary; its current step starts again. */
    public RolloutStatus resumeRollout(String model) {
        return post("/rollouts/" + enc(model) + "/resume", null, RolloutStatus.class);
    }

    /** Starts the model's rolled-back or aborted canary again from its first step (a new rollout). */
    public RolloutStatus retryRollout(String model) {
        return post("/rollouts/" + enc(model) + "/retry", null, RolloutStatus.class);
    }

    // ---- shadow, A/B, chaos, manifests, traffic ------------------------------------------------------------------

    /** Mirrors a share of the model's requests to a shadow version whose answers are compared, never returned. */
    public DeploymentStatus shadow(ShadowRequest request) {
        return post("/deployments/shadow", request, DeploymentStatus.class);
    }

    /** Removes the model's shadow: back to its stable version alone. */
    public DeploymentStatus stopShadow(String model) {
        return delete("/deployments/" + enc(model) + "/shadow", DeploymentStatus.class);
    }

    /** The model's latest shadow comparison with up to {@code samples} sampled diffs. */
    public ShadowReport shadowReport(String model, int samples) {
        return get("/monitoring/shadow/" + enc(model) + "?samples=" + samples, json.constructType(ShadowReport.class));
    }

    /** Splits the model's traffic over sticky A/B arms. */
    public DeploymentStatus ab(AbRequest request) {
        return post("/deployments/ab", request, DeploymentStatus.class);
    }

    /** Injects (or clears) a fault on one version on every node; needs the admin token ({@link Builder#token}). */
    public DeploymentStatus chaos(ChaosRequest request) {
        return post("/deployments/chaos", request, DeploymentStatus.class);
    }

    /** Applies manifests in one transaction (or, with {@code dryRun}, says what would change). */
    public ApplyResult apply(ApplyRequest request) {
        return post("/manifests/apply", request, ApplyResult.class);
    }

    /** Per-version request, error and latency statistics of a model, summed over every node. */
    public TrafficStats traffic(String model) {
        return get("/monitoring/traffic/" + enc(model), json.constructType(TrafficStats.class));
    }

    /** Per version of the model: requests, errors and p50/p95/p99 over the last 1, 5 and 15 minutes, all nodes. */
    public LatencyReport latency(String model) {
        return get("/monitoring/latency/" + enc(model), json.constructType(LatencyReport.class));
    }

    /** {@link #latency(String)} for every model that is deployed or served within 15 minutes. */
    public List<LatencyReport> latency() {
        return get("/monitoring/latency", json.getTypeFactory().constructCollectionType(List.class,
                LatencyReport.class));
    }

    /** Per version and feature of the model: PSI and the KS test of its current input window against its reference. */
    public DriftReport drift(String model) {
        return get("/monitoring/drift/" + enc(model), json.constructType(DriftReport.class));
    }

    // ---- tokens (admin) -----------------------------------------------------------------------------------------

    /** Creates an API token; the answer holds the token itself, which is never shown again. */
    public CreatedToken createToken(TokenRequest request) {
        return post("/tokens", request, CreatedToken.class);
    }

    /** Active tokens (with {@code includeRevoked}, revoked ones too), without their secrets. */
    public List<TokenInfo> tokens(boolean includeRevoked) {
        return get("/tokens" + (includeRevoked ? "?all=true" : ""), json.getTypeFactory()
                .constructCollectionType(List.class, TokenInfo.class));
    }

    /** Revokes the active token with this name (404 {@link ModelMeshException.NotFoundException} when none). */
    public TokenInfo revokeToken(String name) {
        return delete("/tokens/" + enc(name), TokenInfo.class);
    }

    // ---- predictions ---------------------------------------------------------------------------------------------

    /** Predicts one row given as an array. */
    public Prediction predict(String model, float... row) {
        StringBuilder sb = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < row.length; i++) {
            sb.append(i == 0 ? "" : ",").append(row[i]);
        }
        return predict(model, null, sb.append("]}").toString());
    }

    /**
     * Sends a predict request body as given ({@code {"inputs": [...]}} or {@code {"inputs": {"feature": value}}}).
     *
     * @param version a specific version, or null for the routed one
     */
    public Prediction predict(String model, String version, String body) {
        return predictAt("/predict/" + enc(model), version, body, Map.of());
    }

    /**
     * The same with extra request headers, e.g. {@code X-User-Id} (or the model's sticky key) to keep a user on one
     * A/B arm.
     */
    public Prediction predict(String model, String version, String body, Map<String, String> headers) {
        return predictAt("/predict/" + enc(model), version, body, headers);
    }

    /**
     * A preview call: {@code version} (a version or an alias) answers whether or not a route sends it traffic, outside
     * splits, traffic statistics and canary analysis. Needs a prediction token with scope preview.
     */
    public Prediction preview(String model, String version, String body) {
        if (version == null) {
            throw new IllegalArgumentException("a preview names the version to try");
        }
        return predictAt("/predict/" + enc(model), version, body, Map.of("X-ModelMesh-Preview", "true"));
    }

    /** Sends {@code {"instances": [[...], ...]}} to {@code /predict/{model}/batch}. */
    public Prediction predictBatch(String model, String version, String body) {
        return predictAt("/predict/" + enc(model) + "/batch", version, body, Map.of());
    }

    /**
     * Sends a prediction to a node chosen by power of two choices. A prediction is a pure function of its input, so a
     * failed attempt is retried by the {@link RetryPolicy}: a node that cannot be reached or is shutting down sits out
     * a cool-down and the prediction goes to another node (at once, then with backoff); an overloaded node's refusal
     * goes to another node only.
     */
    private Prediction predictAt(String path, String version, String body, Map<String, String> headers) {
        String p = version == null ? path : path + "?version=" + enc(version);
        NodeBalancer nodes = balancer();
        NodeBalancer.Node failed = null;
        for (int attempt = 1; ; attempt++) {
            NodeBalancer.Node node = nodes.acquire(failed);
            try {
                return send(predictRequest(node.uri, p, body, headers), Prediction.class, node.uri);
            } catch (ModelMeshException e) {
                RetryPolicy.Retry how = RetryPolicy.classify(e, true);
                if (how == RetryPolicy.Retry.ANY_NODE) {
                    nodes.markDown(node);
                }
                boolean another = nodes.uris().size() > 1;
                if (how == RetryPolicy.Retry.NO || !retry.allowsAnother(attempt)
                        || (how == RetryPolicy.Retry.OTHER_NODE && !another)) {
                    throw e;
                }
                if (!(another && attempt == 1)) { // the first move to another node goes at once
                    pause(attempt, e);
                }
                failed = node;
            } finally {
                node.release();
            }
        }
    }

    /** Waits the policy's backoff before retry {@code retryNumber}; an interrupt ends the retries with {@code e}. */
    private void pause(int retryNumber, ModelMeshException e) {
        java.util.OptionalLong after = e instanceof ModelMeshException.UnavailableException u
                ? u.retryAfterSeconds() : java.util.OptionalLong.empty();
        try {
            Thread.sleep(retry.delay(retryNumber, after, () -> ThreadLocalRandom.current().nextDouble()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** A read, retried by the {@link RetryPolicy} when it failed in a way a later try may not. */
    private <T> T retrying(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (ModelMeshException e) {
                if (RetryPolicy.classify(e, false) == RetryPolicy.Retry.NO || !retry.allowsAnother(attempt)) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    private HttpRequest predictRequest(URI node, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = request(node, path, timeout).header("Content-Type", "application/json");
        if (predictToken != null && !predictToken.isBlank()) {
            b.header("Authorization", "Bearer " + predictToken);
        }
        headers.forEach(b::setHeader); // a caller's traceparent replaces the one the client made
        return b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /** The data-plane nodes this client sends predictions to: configured ones, else the control plane's live nodes. */
    public List<URI> dataPlanes() {
        List<URI> nodes = dataPlanes;
        if (nodes.isEmpty()) {
            nodes = nodes().stream().filter(n -> n.state() == NodeState.LIVE).map(n -> strip(URI.create(n.url())))
                    .toList();
            if (nodes.isEmpty()) {
                throw new ModelMeshException.UnavailableException(new ErrorBody(503, "unavailable",
                        "no live data-plane node is registered with " + controlPlane() + " (start one: mmctl up)",
                        null));
            }
            dataPlanes = nodes;
        }
        return nodes;
    }

    private NodeBalancer balancer() {
        NodeBalancer b = balancer;
        if (b == null) {
            b = new NodeBalancer(dataPlanes(), System::nanoTime, bound -> ThreadLocalRandom.current().nextInt(bound));
            balancer = b;
        }
        return b;
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private <T> T get(String path, JavaType type) {
        return retrying(() -> onControlPlane(base -> send(request(base, path, timeout).GET().build(), type, base)));
    }

    private <T> T delete(String path, Class<T> type) {
        return onControlPlane(base -> send(request(base, path, Duration.ofMinutes(5)).DELETE().build(), type, base));
    }

    /**
     * Runs a control-plane call on the control plane that answered last and, when it cannot be reached (no
     * connection: the request was not sent, so this holds for writes too), on the next one, in the order given. Every
     * control plane of a cluster serves the whole API on one database.
     */
    private <T> T onControlPlane(java.util.function.Function<URI, T> call) {
        int first = preferred;
        ModelMeshException.UnavailableException last = null;
        for (int k = 0; k < controlPlanes.size(); k++) {
            int i = (first + k) % controlPlanes.size();
            try {
                T value = call.apply(controlPlanes.get(i));
                preferred = i;
                return value;
            } catch (ModelMeshException.UnavailableException e) {
                boolean notSent = e.getCause() instanceof ConnectException
                        || e.getCause() instanceof HttpConnectTimeoutException;
                if (!notSent) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private <T> T post(String path, Object body, Class<T> type) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode request: " + e.getMessage(), e);
        }
        return onControlPlane(base -> send(request(base, path, Duration.ofMinutes(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                type, base));
    }

    private <T> T put(String path, Object body, Class<T> type) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode request: " + e.getMessage(), e);
        }
        return onControlPlane(base -> send(request(base, path, Duration.ofMinutes(5))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                type, base));
    }

    private HttpRequest.Builder request(URI base, String path, Duration t) {
        TraceParent span = TraceParent.childOf(trace);
        lastTrace = span;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header(TraceParent.HEADER, span.header());
        if (controlPlanes.contains(base) && token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        if (t != null) {
            b.timeout(t);
        }
        return b;
    }

    private <T> T send(HttpRequest req, Class<T> type, URI target) {
        return send(req, json.constructType(type), target);
    }

    private <T> T send(HttpRequest req, JavaType type, URI target) {
        return send(req, type, target, false);
    }

    /** Sends and reads the answer as {@code type}; with {@code noContentIsNull}, a 204 answer is null. */
    private <T> T send(HttpRequest req, JavaType type, URI target, boolean noContentIsNull) {
        HttpResponse<byte[]> res;
        String where = Redaction.url(target.toString()); // a URL's user info never reaches a message
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ModelMeshException.UnavailableException(new ErrorBody(503, "unavailable",
                    "cannot reach " + where + " (" + e.getClass().getSimpleName() + "): is it running? Start the local "
                            + "stack with 'mmctl up'", null), e);
        } catch (HttpTimeoutException e) {
            throw new ModelMeshException.UnavailableException(new ErrorBody(504, "timeout",
                    "no answer from " + where + " within the timeout", null), e);
        } catch (SSLException e) {
            throw new ModelMeshException.UnavailableException(new ErrorBody(503, "tls",
                    "TLS with " + where + " failed (" + e.getMessage() + "): if its certificate is signed by your "
                            + "own CA, trust that CA with --tls-ca / MM_TLS_CA (ModelMeshClient.Builder.trust); if "
                            + "the server does not serve https, use an http:// URL", null), e);
        } catch (IOException e) {
            throw new ModelMeshException.UnavailableException(new ErrorBody(503, "unavailable",
                    "request to " + where + " failed: " + e.getMessage(), null), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelMeshException.UnavailableException(new ErrorBody(503, "interrupted", "interrupted", null), e);
        }
        if (res.statusCode() >= 400) {
            ModelMeshException e = ModelMeshException.of(errorBody(res), retryAfter(res));
            e.traceId(TraceParent.parse(req.headers().firstValue(TraceParent.HEADER).orElse(null)));
            throw e;
        }
        try {
            if (noContentIsNull && res.statusCode() == 204) {
                return null;
            }
            return json.readValue(res.body(), type);
        } catch (IOException e) {
            throw new ModelMeshException(new ErrorBody(res.statusCode(), "bad_response",
                    "unreadable answer from " + where + ": " + e.getMessage(), null), e);
        }
    }

    /** {@code Retry-After} in whole seconds (the HTTP-date form is not used by ModelMesh servers and is ignored). */
    private static java.util.OptionalLong retryAfter(HttpResponse<byte[]> res) {
        String v = res.headers().firstValue("Retry-After").orElse("").trim();
        if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(Long.parseLong(v));
    }

    private ErrorBody errorBody(HttpResponse<byte[]> res) {
        try {
            ErrorBody b = json.readValue(res.body(), ErrorBody.class);
            if (b.message() != null) {
                return new ErrorBody(res.statusCode(), b.error(), b.message(), b.requestId(), b.details());
            }
        } catch (IOException ignored) {
            // not our JSON error shape; fall through to the raw text
        }
        String text = new String(res.body(), StandardCharsets.UTF_8).strip();
        return new ErrorBody(res.statusCode(), "http_" + res.statusCode(),
                text.isEmpty() ? "HTTP " + res.statusCode() + " from " + Redaction.url(res.uri().toString()) : text,
                null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI strip(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }

    /**
     * Builder; defaults: control planes {@code MM_CONTROL_PLANE} (comma-separated) or http://127.0.0.1:8080, nodes from
     * the control plane.
     */
    public static final class Builder {
        private List<URI> controlPlanes = envUris("MM_CONTROL_PLANE").isEmpty() ? List.of(DEFAULT_CONTROL_PLANE)
                : envUris("MM_CONTROL_PLANE");
        private List<URI> dataPlanes = envUris("MM_DATA_PLANE");
        private Duration timeout = Duration.ofSeconds(60);
        private String token = blankToNull(System.getenv("MM_TOKEN"));
        private String predictToken;
        private Path trust = envPath("MM_TLS_CA");
        private SSLContext sslContext;
        private RetryPolicy retry = RetryPolicy.DEFAULT;

        /**
         * How reads and predictions are retried ({@link RetryPolicy#DEFAULT}: 3 attempts with jittered exponential
         * backoff; {@link RetryPolicy#none()} to turn retries off). Writes are never retried.
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder controlPlane(URI uri) {
            this.controlPlanes = List.of(uri);
            return this;
        }

        /**
         * Several control planes of one cluster (on one database), in order of preference: a call that cannot reach
         * one goes to the next, and later calls go first to the one that answered last.
         */
        public Builder controlPlanes(List<URI> uris) {
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("at least one control-plane URL");
            }
            this.controlPlanes = List.copyOf(uris);
            return this;
        }

        /** Data-plane nodes to send predictions to; when empty, the control plane's live nodes are used. */
        public Builder dataPlanes(List<URI> uris) {
            this.dataPlanes = List.copyOf(uris);
            return this;
        }

        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        /**
         * The token sent as {@code Authorization: Bearer} to the control plane (default: {@code MM_TOKEN}), and to
         * nodes unless {@link #predictToken} is set. Its name is recorded as the author of what it changes.
         */
        public Builder token(String token) {
            this.token = blankToNull(token);
            return this;
        }

        /**
         * The token sent to data-plane nodes with predictions (default: {@link #token}). Applications should use a
         * token with scope {@code predict} only: a node never needs more.
         */
        public Builder predictToken(String token) {
            this.predictToken = blankToNull(token);
            return this;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        /**
         * Verifies https servers (control plane and nodes) against the CA certificates in this PEM file only, instead
         * of the JDK's default trust store; null goes back to the default. Defaults to {@code MM_TLS_CA} when set.
         */
        public Builder trust(Path caPem) {
            this.trust = caPem;
            this.sslContext = null;
            return this;
        }

        /** An SSL context of your own for https servers (wins over {@link #trust}). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the {@link #trust} file (or {@code MM_TLS_CA}) is missing or holds no
         *                                  PEM certificate
         */
        public ModelMeshClient build() {
            return new ModelMeshClient(this);
        }

        private static Path envPath(String name) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? null : Path.of(v.trim());
        }

        private static List<URI> envUris(String name) {
            String v = System.getenv(name);
            if (v == null || v.isBlank()) {
                return List.of();
            }
            return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create)
                    .collect(Collectors.toList());
        }
    }

}
