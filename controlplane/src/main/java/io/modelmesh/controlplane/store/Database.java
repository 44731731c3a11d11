package io.modelmesh.controlplane.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbTransaction;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.modelmesh.api.security.Redaction;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's PostgreSQL: the embedded one under {@code HOME/postgres} or an external one, a Hikari pool,
 * migrations applied by Flyway before anything else touches it, and the Helidon {@link DbClient} repositories use.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final Logger HIKARI = Logger.getLogger("com.zaxxer.hikari");
    /** The embedded PostgreSQL's superuser password, under the control plane's home (mode 0600). */
    public static final String EMBEDDED_PASSWORD_FILE = "postgres-password";

    private final EmbeddedDatabase embedded;
    private final HikariDataSource dataSource;
    private final DbClient client;
    private final String description;
    private final String jdbcUrl;

    private Database(EmbeddedDatabase embedded, HikariDataSource dataSource, DbClient client, String description,
                     String jdbcUrl) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.client = client;
        this.description = description;
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * Connects (starting the embedded database when {@code url} is null) and migrates the schema.
     *
     * @throws IllegalStateException saying which database could not be reached or migrated, and why
     */
    public static Database open(String url, String user, String password, Path home) {
        HIKARI.setLevel(Level.WARNING);
        EmbeddedDatabase embedded = null;
        HikariDataSource ds = null;
        try {
            String jdbcUrl = url;
            String dbUser = user;
            String dbPassword = password;
            if (url == null) {
                Files.createDirectories(home);
                embedded = EmbeddedDatabase.start(home.resolve("postgres"), home.resolve("postgres.log"),
                        home.resolve(EMBEDDED_PASSWORD_FILE));
                jdbcUrl = embedded.jdbcUrl();
                dbUser = EmbeddedDatabase.USER;
                dbPassword = embedded.password();
            }
            String description = url == null ? "embedded PostgreSQL in " + embedded.dataDirectory()
                    : Redaction.url(url);
            ds = pool(jdbcUrl, dbUser, dbPassword, description);
            migrate(ds, description);
            HikariDataSource pool = ds;
            JdbcConnectionPool connections = () -> {
                try {
                    return pool.getConnection();
                } catch (SQLException e) {
                    throw new DbClientException("cannot get a connection to " + description + ": " + e.getMessage(), e);
                }
            };
            DbClient client = JdbcClientBuilder.create().connectionPool(connections).build();
            return new Database(embedded, ds, client, description, jdbcUrl);
        } catch (RuntimeException | java.io.IOException e) {
            closeQuietly(ds, embedded);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public DbClient client() {
        return client;
    }

    /** The JDBC URL connected to (for the embedded database: its loopback URL with the free port picked at start). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** "embedded PostgreSQL in ..." or the external URL without credentials. */
    public String description() {
        return description;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Function<DbTransaction, T> work) {
        DbTransaction tx = client.transaction();
        boolean done = false;
        try {
            T result = work.apply(tx);
            tx.commit();
            done = true;
            return result;
        } finally {
            if (!done) {
                try {
                    tx.rollback();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "rollback failed", e);
                }
            }
        }
    }

    /**
     * A trivial query, for health checks.
     *
     * @throws DbClientException when the database cannot be reached
     */
    public void ping() {
        client.execute().get("SELECT 1 AS ok").orElseThrow(() -> new DbClientException("SELECT 1 returned no row"));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing the DbClient failed", e);
        }
        closeQuietly(dataSource, embedded);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, String description) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("modelmesh-controlplane");
        hc.setJdbcUrl(jdbcUrl);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(16);
        hc.setMinimumIdle(2);
        hc.setConnectionTimeout(3_000); // a health check must answer DOWN quickly, not after 30 s
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(15_000);
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("cannot connect to " + description + ": "
                    + Redaction.url(root.getMessage()), e);
        }
    }

    private static void migrate(HikariDataSource ds, String description) {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot migrate the schema of " + description + ": "
                    + Redaction.url(e.getMessage()), e);
        }
    }

    private static void closeQuietly(HikariDataSource ds, EmbeddedDatabase embedded) {
        if (ds != null) {
            try {
                ds.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the pool failed", e);
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping embedded PostgreSQL failed", e);
            }
        }
    }
}
