package io.modelmesh.dataplane;

import io.modelmesh.api.Fault;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.dataplane.admission.Admission;
import io.modelmesh.dataplane.admission.AdmissionDefaults;
import io.modelmesh.dataplane.admission.AdmissionGate;
import io.modelmesh.dataplane.batching.BatchPolicy;
import io.modelmesh.dataplane.batching.Batcher;
import io.modelmesh.dataplane.reliability.FallbackPlan;
import io.modelmesh.dataplane.inference.InputBinding;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.inference.ParsedInput;
import io.modelmesh.dataplane.inference.PredictionRequest;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** In-memory models and tables for tests that need no engine: deterministic outputs, optionally held on a latch. */
public final class TestModels {
    private TestModels() {
    }

    /**
     * A model over rows of 2 numbers: {@code score} (FP32, sum × factor) and {@code label} ("big" when the sum is
     * above 10, else "small"). With a gate, every predict call waits for it.
     */
    public static final class SumModel implements LoadedModel {
        private final float factor;
        private final CountDownLatch gate;
        public final CountDownLatch entered = new CountDownLatch(1);

        public SumModel(float factor, CountDownLatch gate) {
            this.factor = factor;
            this.gate = gate;
        }

        @Override
        public ModelSchema schema() {
            return new ModelSchema(List.of(new TensorSpec("input", "FP32", List.of(-1L, 2L))), List.of(), List.of());
        }

        @Override
        public int rowWidth() {
            return 2;
        }

        @Override
        public BatchResult predict(FloatBatch batch) {
            entered.countDown();
            if (gate != null) {
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            float[] score = new float[batch.rows()];
            String[] label = new String[batch.rows()];
            for (int r = 0; r < batch.rows(); r++) {
                float sum = batch.values()[r * 2] + batch.values()[r * 2 + 1];
                score[r] = sum * factor;
                label[r] = sum * factor > 10 ? "big" : "small";
            }
            return new BatchResult(List.of(new OutputTensor("score", "FP32", new long[]{batch.rows(), 1}, score),
                    new OutputTensor("label", "BYTES", new long[]{batch.rows()}, label)));
        }

        @Override
        public void close() {
        }
    }

    public static RouteTarget target(String version, int weight, RouteTarget.Role role, Fault fault) {
        return new RouteTarget(version, "onnx", "0".repeat(64), 1, weight, role, ModelSchema.empty(), fault);
    }

    /** A serving table for model "m" with one loaded model per target. */
    public static ServingTable table(Map<RouteTarget, LoadedModel> targets) {
        ModelRoute route = new ModelRoute("m", List.copyOf(targets.keySet()), null);
        Map<String, ServedVersion> versions = new LinkedHashMap<>();
        targets.forEach((t, model) -> versions.put(t.version(),
                new ServedVersion("m", t, new ModelHandle(t.version(), model))));
        return new ServingTable(new RoutingTable(1, Instant.EPOCH, Map.of("m", route)),
                Map.of("m", ServedModel.of(route, versions)));
    }

    /**
     * A serving table for model "m" whose versions run under {@code policy}: admission limits resolved by
     * {@code defaults}, the policy's fallback, and a batcher when it batches (closed by the caller via the table).
     */
    public static ServingTable table(Map<RouteTarget, LoadedModel> targets, ServingPolicy policy,
                                     AdmissionDefaults defaults) {
        ModelRoute route = new ModelRoute("m", List.copyOf(targets.keySet()), null, policy);
        Map<String, ServedVersion> versions = new LinkedHashMap<>();
        targets.forEach((t, model) -> {
            ModelHandle handle = new ModelHandle(t.version(), model);
            Batcher batcher = policy.batching() ? Batcher.start("m", t.version(), model::predict,
                    BatchPolicy.of(policy), 1, System::nanoTime) : null;
            versions.put(t.version(), new ServedVersion("m", t, handle, policy, batcher, new Admission(
                    new AdmissionGate(defaults.resolve(policy), System::nanoTime),
                    FallbackPlan.of(policy, handle::outputLabels))));
        });
        return new ServingTable(new RoutingTable(1, Instant.EPOCH, Map.of("m", route)),
                Map.of("m", ServedModel.of(route, versions)));
    }

    /** A request of one row {@code [a, b]}, asking for a deadline ({@code X-Request-Timeout}) when not null. */
    public static PredictionRequest row(float a, float b, Duration timeout) {
        PredictionRequest plain = row(a, b, Map.of());
        return new PredictionRequest() {
            @Override
            public ParsedInput parse(InputBinding binding) {
                return plain.parse(binding);
            }

            @Override
            public Duration timeout() {
                return timeout;
            }
        };
    }

    /** A request of one row {@code [a, b]} with optional headers. */
    public static PredictionRequest row(float a, float b, Map<String, String> headers) {
        return new PredictionRequest() {
            @Override
            public ParsedInput parse(InputBinding binding) {
                return new ParsedInput(new FloatBatch(new float[]{a, b}, 1, 2), true);
            }

            @Override
            public String header(String name) {
                return headers.get(name);
            }

            @Override
            public String bodyText() {
                return "{\"inputs\": [" + a + ", " + b + "]}";
            }

            @Override
            public String requestId() {
                return "req-" + a;
            }
        };
    }

    /** A request whose body is invalid (a 400). */
    public static PredictionRequest invalid() {
        return binding -> {
            throw new InvalidInputException("row has 3 numbers, the model takes 2");
        };
    }

    /** A clock the test moves by hand. */
    public static final class HandClock extends Clock {
        private volatile Instant now;

        public HandClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
