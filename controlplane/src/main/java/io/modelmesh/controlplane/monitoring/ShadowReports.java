package io.modelmesh.controlplane.monitoring;

import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.store.ShadowComparison;
import io.modelmesh.controlplane.store.ShadowComparisonRepository;

import java.util.List;

/** {@code GET /monitoring/shadow/{model}}: a model's latest shadow comparison as a {@link ShadowReport}. */
public final class ShadowReports {
    public static final int DEFAULT_SAMPLES = 20;
    public static final int MAX_SAMPLES = ShadowComparisonRepository.SAMPLES_KEPT;

    private final ShadowComparisonRepository comparisons;

    public ShadowReports(ShadowComparisonRepository comparisons) {
        this.comparisons = comparisons;
    }

    /**
     * The model's latest comparison with up to {@code samples} sampled diffs, newest first.
     *
     * @throws InvalidInputException when {@code samples} is outside 0..{@value #MAX_SAMPLES}
     * @throws NotFoundException     when the model never had a shadow
     */
    public ShadowReport report(String model, int samples) {
        ModelNames.require(model);
        if (samples < 0 || samples > MAX_SAMPLES) {
            throw new InvalidInputException("samples must be 0.." + MAX_SAMPLES + ", got " + samples);
        }
        ShadowComparison c = comparisons.latest(model).orElseThrow(() -> new NotFoundException("model '" + model
                + "' never had a shadow; start one with mmctl shadow " + model + " --version X.Y.Z (POST "
                + "/deployments/shadow {\"model\": \"" + model + "\", \"version\": \"X.Y.Z\"})"));
        return summarize(c, samples == 0 ? List.of() : comparisons.samples(c.id(), samples));
    }

    /** The report of a comparison (pure): rates and means are null when nothing they divide by was seen. */
    public static ShadowReport summarize(ShadowComparison c, List<ShadowSample> samples) {
        Double agreement = c.labelComparisons() == 0 ? null : (double) c.labelAgreements() / c.labelComparisons();
        Double meanDiff = c.numericValues() == 0 ? null : c.sumAbsDiff() / c.numericValues();
        Double maxDiff = c.numericValues() == 0 ? null : c.maxAbsDiff();
        Double latency = c.compared() == 0 ? null : c.sumLatencyDeltaMs() / c.compared();
        return new ShadowReport(c.model(), c.shadowVersion(), c.primaryVersion(), c.active(), c.startedAt(),
                c.mirrored(), c.dropped(), c.failed(), c.compared(), agreement, meanDiff, maxDiff, latency, samples);
    }
}
