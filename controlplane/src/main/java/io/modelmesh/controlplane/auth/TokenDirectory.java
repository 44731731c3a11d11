package io.modelmesh.controlplane.auth;

import io.modelmesh.api.NodeCredentials;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;
import io.modelmesh.controlplane.store.NodeRepository;
import io.modelmesh.controlplane.store.TokenRecord;
import io.modelmesh.controlplane.store.TokenRepository;
import io.modelmesh.server.auth.BearerGuard;
import io.modelmesh.server.auth.Principal;
import io.modelmesh.server.auth.RateLimiter;
import io.modelmesh.server.auth.Tokens;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Every credential the control plane accepts, held in memory so checking a request costs a hash and a map lookup:
 * unrevoked API tokens by hash and node sessions by hash, reloaded from PostgreSQL every {@link #REFRESH} (so a token
 * revoked on another control-plane process stops working within that) and at once after a change made here. An unknown
 * hash reloads early, at most {@link #MISS_RELOADS} times a second (a flood of invented tokens costs the database no
 * more), so a token just created on another process works at once.
 * Which tokens were used is written back in the reload, never on the request path.
 */
public final class TokenDirectory implements BearerGuard.Directory, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TokenDirectory.class.getName());
    static final Duration REFRESH = Duration.ofSeconds(2);
    static final RateLimit MISS_RELOADS = new RateLimit(10, 10);

    private record Snapshot(Map<String, TokenRecord> tokens, Map<String, String> sessions, NodeCredentials credentials) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), new NodeCredentials("0", List.of()));
    }

    private final TokenRepository tokens;
    private final NodeRepository nodes;
    private final Clock clock;
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private final RateLimiter missReloads;
    private Thread ticker;

    public TokenDirectory(TokenRepository tokens, NodeRepository nodes, Clock clock, LongSupplier nanoTime) {
        this.tokens = tokens;
        this.nodes = nodes;
        this.clock = clock;
        this.missReloads = new RateLimiter(nanoTime);
    }

    /** Reloads now (at start, and after a token or node session changed here). */
    public synchronized void reload() {
        if (!used.isEmpty()) {
            List<String> batch = List.copyOf(used);
            used.removeAll(batch);
            try {
                tokens.touch(batch, clock.instant());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "cannot record token use", e);
            }
        }
        Map<String, TokenRecord> byHash = tokens.unrevoked().stream()
                .collect(Collectors.toUnmodifiableMap(TokenRecord::hash, t -> t));
        Map<String, String> sessions = Map.copyOf(nodes.sessions());
        snapshot = new Snapshot(byHash, sessions, credentials(byHash.values()));
    }

    /** Reloads every {@link #REFRESH} on a virtual thread until {@link #close()}. */
    public void start() {
        reload();
        ticker = Thread.ofVirtual().name("token-directory").start(() -> {
            try {
                while (!stop.await(REFRESH.toMillis(), TimeUnit.MILLISECONDS)) {
                    try {
                        reload();
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "token reload failed (the database is unreachable?); keeping the last", e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public Optional<Principal> find(String tokenHash) {
        Optional<Principal> found = lookup(snapshot, tokenHash);
        if (found.isEmpty() && missReloads.acquire("miss", MISS_RELOADS) == 0) {
            try {
                reload();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "token reload failed", e);
            }
            found = lookup(snapshot, tokenHash);
        }
        found.ifPresent(p -> {
            if (p.kind() == Principal.Kind.TOKEN) {
                used.add(tokenHash);
            }
        });
        return found;
    }

    private Optional<Principal> lookup(Snapshot s, String hash) {
        TokenRecord t = s.tokens().get(hash);
        if (t != null) {
            return t.activeAt(clock.instant())
                    ? Optional.of(Principal.token(t.name(), t.scopes(), t.rateLimit(), t.hash()))
                    : Optional.empty();
        }
        String node = s.sessions().get(hash);
        return node == null ? Optional.empty() : Optional.of(Principal.node(node));
    }

    /** The tokens nodes must accept (those granting predict or read), and their version. */
    public NodeCredentials credentials() {
        return snapshot.credentials();
    }

    private static NodeCredentials credentials(java.util.Collection<TokenRecord> all) {
        List<NodeCredentials.Credential> list = all.stream()
                .filter(t -> Scope.granted(t.scopes(), Scope.PREDICT) || Scope.granted(t.scopes(), Scope.READ))
                .sorted(Comparator.comparing(TokenRecord::hash))
                .map(t -> new NodeCredentials.Credential(t.name(), t.hash(),
                        t.scopes().stream().sorted().map(Scope::wireName).toList(), t.expiresAt(), t.rateLimit()))
                .toList();
        StringBuilder canonical = new StringBuilder();
        list.forEach(c -> canonical.append(c.name()).append('|').append(c.tokenHash()).append('|').append(c.scopes())
                .append('|').append(c.expiresAt()).append('|').append(c.rateLimit()).append('\n'));
        String version = HexFormat.of().formatHex(sha256(canonical.toString())).substring(0, 16);
        return new NodeCredentials(version, list);
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop.countDown();
        if (ticker != null) {
            ticker.interrupt();
        }
    }

    /** Hash of a presented token, for callers that hold the token (bootstrap). */
    static String hash(String token) {
        return Tokens.hash(token);
    }
}
