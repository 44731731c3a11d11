package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The {@code api_tokens} table. Active names are unique (a partial index); revoked rows stay for the record. */
public final class TokenRepository {
    private static final String COLUMNS = "id, name, token_hash, scopes, created_at, created_by, expires_at, "
            + "last_used_at, revoked_at, rate_per_second, rate_burst";

    private final DbClient db;

    public TokenRepository(DbClient db) {
        this.db = db;
    }

    /** Inserts a token; a unique violation (SQLSTATE 23505) when an active token has the name or the hash exists. */
    public void insert(TokenRecord t) {
        db.execute().createInsert("INSERT INTO api_tokens (name, token_hash, scopes, created_at, created_by, "
                        + "expires_at, rate_per_second, rate_burst) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(t.name(), t.hash(), scopes(t.scopes()), Rows.param(t.createdAt()), t.createdBy(),
                        t.expiresAt() == null ? null : Rows.param(t.expiresAt()),
                        t.rateLimit() == null ? null : t.rateLimit().perSecond(),
                        t.rateLimit() == null ? null : t.rateLimit().burst())
                .execute();
    }

    /** Every token, active ones first, then by name. */
    public List<TokenRecord> list() {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM api_tokens "
                + "ORDER BY revoked_at IS NOT NULL, name, id")) {
            return rows.map(TokenRepository::token).toList();
        }
    }

    /** Tokens not revoked (expired ones included: the caller checks expiry against its clock). */
    public List<TokenRecord> unrevoked() {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM api_tokens WHERE revoked_at IS NULL")) {
            return rows.map(TokenRepository::token).toList();
        }
    }

    public Optional<TokenRecord> active(String name) {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM api_tokens "
                + "WHERE name = ? AND revoked_at IS NULL", name)) {
            return rows.map(TokenRepository::token).findFirst();
        }
    }

    public Optional<TokenRecord> byHash(String hash) {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ?",
                hash)) {
            return rows.map(TokenRepository::token).findFirst();
        }
    }

    /** Revokes the active token of that name; false when there is none. */
    public boolean revoke(String name, Instant at) {
        return db.execute().createUpdate("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
                .params(Rows.param(at), name).execute() == 1;
    }

    /** Records that these tokens were used (at most once per refresh, never on the request path). */
    public void touch(Collection<String> hashes, Instant at) {
        if (hashes.isEmpty()) {
            return;
        }
        String in = hashes.stream().map(h -> "?").collect(Collectors.joining(", "));
        Object[] params = Stream.concat(Stream.of(Rows.param(at)), hashes.stream()).toArray();
        db.execute().createUpdate("UPDATE api_tokens SET last_used_at = ? WHERE token_hash IN (" + in + ")")
                .params(params).execute();
    }

    private static String scopes(java.util.Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(","));
    }

    private static TokenRecord token(DbRow r) {
        Object rate = r.column("rate_per_second").get(Object.class);
        RateLimit limit = rate == null ? null
                : new RateLimit(((Number) rate).doubleValue(), (int) Rows.number(r, "rate_burst"));
        return new TokenRecord(Rows.number(r, "id"), Rows.text(r, "name"), Rows.text(r, "token_hash"),
                Scope.parseAll(Rows.text(r, "scopes")), Rows.instant(r, "created_at"), Rows.text(r, "created_by"),
                Rows.instant(r, "expires_at"), Rows.instant(r, "last_used_at"), Rows.instant(r, "revoked_at"), limit);
    }
}
