package io.modelmesh.controlplane.rollout;

import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.OutcomeRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The store every control plane shares, on a real (embedded) PostgreSQL: the common contract, and pruning. */
class SharedOutcomesTest extends OutcomeStoreContract {
    @TempDir
    static Path home;
    static Database db;
    static SharedOutcomes shared;

    @BeforeAll
    static void open() {
        db = Database.open(null, null, null, home);
        shared = new SharedOutcomes(db, new OutcomeRepository(db.client()), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void empty() {
        db.inTransaction(tx -> tx.dml("DELETE FROM outcome_seconds") + tx.dml("DELETE FROM outcome_totals")
                + tx.dml("DELETE FROM outcome_strategies"));
    }

    @Override
    OutcomeStore store() {
        return shared;
    }

    @Override
    void reset(String model, Instant since, long revision) {
        db.inTransaction(tx -> {
            shared.reset(tx, model, since, revision);
            return null;
        });
    }

    @Test
    void pruningForgetsOldSecondsAndReplacedStrategies() {
        long staleBefore = shared.stale();
        reset("iris", T0, 1);
        shared.accept(report("a", 1, T0.plusSeconds(1), 10, 0));
        reset("iris", T0.plusSeconds(100), 2);
        shared.accept(report("a", 2, T0.plusSeconds(200), 4, 0));
        db.inTransaction(tx -> {
            shared.prune(tx, T0.plusSeconds(150));
            return null;
        });
        assertEquals(0, shared.window("iris", "1.1.0", 1000, T0.plusSeconds(150)).requests());
        assertEquals(4, shared.window("iris", "1.1.0", 10, T0.plusSeconds(200)).requests());
        assertEquals(4, shared.totals("iris").get("1.1.0").requests());
        long rows = db.client().execute().get("SELECT count(*) AS n FROM outcome_totals").orElseThrow()
                .column("n").get(Long.class);
        assertEquals(1, rows, "the replaced strategy's totals are gone");
        assertEquals(staleBefore, shared.stale(), "nothing was stale");
    }
}
