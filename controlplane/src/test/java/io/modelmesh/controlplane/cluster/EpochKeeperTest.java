package io.modelmesh.controlplane.cluster;

import io.modelmesh.controlplane.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the control plane moves to a new epoch: a node of its cluster ahead of its database, at most every 10 s. */
class EpochKeeperTest {
    static final String CLUSTER = "6f1c2d3e-0000-4000-8000-000000000001";

    /** The identity row in memory, with the repository's conditional bump. */
    static final class MemoryIdentity implements IdentityStore {
        ClusterIdentity current;
        Instant since;

        @Override
        public ClusterIdentity ensure(Instant now) {
            if (current == null) {
                current = new ClusterIdentity(CLUSTER, 1);
                since = now;
            }
            return current;
        }

        @Override
        public ClusterIdentity current() {
            return current;
        }

        @Override
        public Optional<ClusterIdentity> bump(long from, long to, Instant now, Duration minAge, String reason) {
            if (current.epoch() != from || since.isAfter(now.minus(minAge))) {
                return Optional.empty();
            }
            current = new ClusterIdentity(current.clusterId(), to);
            since = now;
            return Optional.of(current);
        }
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MemoryIdentity identities = new MemoryIdentity();
    final EpochKeeper epochs = new EpochKeeper(identities, clock);

    @Test
    void aNodeOfThisIdentityAheadOfTheDatabaseMovesItToTheNextEpochAtMostEveryTenSeconds() {
        epochs.ensure();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, epochs.afterReport("n1", CLUSTER, 1, 40, 40).epoch(), "at the newest revision: nothing");
        assertEquals(1, epochs.afterReport("n1", CLUSTER, 1, 12, 40).epoch(), "behind: nothing");
        assertEquals(2, epochs.afterReport("n1", CLUSTER, 1, 41, 40).epoch(), "ahead: the database was restored");
        assertEquals(2, epochs.afterReport("n2", CLUSTER, 1, 41, 40).epoch(), "another node of epoch 1: already moved");

        clock.advance(Duration.ofSeconds(5));
        assertEquals(2, epochs.afterReport("n1", CLUSTER, 2, 99, 40).epoch(), "not again within 10 s");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(3, epochs.afterReport("n1", CLUSTER, 2, 99, 40).epoch());
    }

    @Test
    void nodesOfAnotherIdentityNeverMoveTheEpoch() {
        epochs.ensure();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, epochs.afterReport("n1", "6f1c2d3e-0000-4000-8000-000000000002", 1, 900, 3).epoch());
        assertEquals(1, epochs.afterReport("n1", null, 0, 900, 3).epoch(), "a node that names no identity");
    }

    @Test
    void aNodeOfALaterEpochThanTheDatabaseMovesItAboveThatEpoch() {
        epochs.ensure();
        clock.advance(Duration.ofMinutes(1));
        // the database was restored from before an epoch change the nodes saw: they serve epoch 7
        assertEquals(8, epochs.afterReport("n1", CLUSTER, 7, 2, 900).epoch(), "above it, whatever the revisions");
    }
}
