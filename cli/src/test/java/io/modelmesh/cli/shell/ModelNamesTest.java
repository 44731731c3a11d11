package io.modelmesh.cli.shell;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The completion cache with a fake control plane and a hand-driven clock. */
class ModelNamesTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();

    private ModelNames names(ModelNames.Source source) {
        return new ModelNames(source, Duration.ofSeconds(5), Duration.ofSeconds(10), now::get, Runnable::run);
    }

    private ModelNames.Source fake(List<String> models) {
        return new ModelNames.Source() {
            @Override
            public List<String> models() {
                calls.incrementAndGet();
                return models;
            }

            @Override
            public List<String> versions(String model) {
                calls.incrementAndGet();
                return model.equals("iris") ? List.of("1.1.0", "1.0.0") : List.of();
            }
        };
    }

    @Test
    void oneRequestPerTtlAndSortedAnswers() {
        ModelNames n = names(fake(List.of("zeta", "iris")));
        assertEquals(List.of("iris", "zeta"), n.models());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals(List.of("iris", "zeta"), n.models());
        assertEquals(1, calls.get(), "a burst of Tabs asks once");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        n.models();
        assertEquals(2, calls.get(), "asked again once the entry expired");
        assertEquals(List.of("1.0.0", "1.1.0"), n.versions("iris"));
        assertEquals(3, calls.get(), "versions are cached per model");
    }

    @Test
    void aFailingControlPlaneGivesNoNamesAndIsNotAskedOnEveryTab() {
        ModelNames n = names(new ModelNames.Source() {
            @Override
            public List<String> models() {
                calls.incrementAndGet();
                throw new IllegalStateException("connection refused");
            }

            @Override
            public List<String> versions(String model) {
                throw new IllegalStateException("connection refused");
            }
        });
        assertEquals(List.of(), n.models());
        assertEquals(List.of(), n.models());
        assertEquals(1, calls.get());
        assertEquals(List.of(), n.versions("iris"));
    }

    @Test
    void aSlowControlPlaneIsAbandonedAtTheTimeout() {
        CountDownLatch never = new CountDownLatch(1);
        ModelNames n = new ModelNames(new ModelNames.Source() {
            @Override
            public List<String> models() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of("late");
            }

            @Override
            public List<String> versions(String model) {
                return List.of();
            }
        }, Duration.ofMillis(50), Duration.ofSeconds(10), now::get, r -> Thread.ofVirtual().start(r));
        assertEquals(List.of(), n.models(), "no names rather than a Tab that hangs");
        never.countDown();
    }
}
