package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.modelmesh.dataplane.inference.PredictionService.Outcome;
import io.modelmesh.engine.OutputTensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders a prediction: {@code {"model", "model_version", "request_id", "cached", "outputs": {name: value}}}, with
 * {@code "degraded": true} when the answer is the version's fallback. For one
 * row each output is that row's value (a number, or nested lists by the output's shape); for several rows, a list with
 * one such value per row. An output whose last dimension the model names (a classifier's probabilities by class) is
 * written as an object keyed by those names, e.g. {@code {"setosa": 0.97, "versicolor": 0.02, "virginica": 0.01}}.
 * Written with the streaming generator: no intermediate objects.
 */
final class PredictionWriter {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private PredictionWriter() {
    }

    static byte[] write(Outcome outcome, String requestId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", outcome.served().model());
            g.writeStringField("model_version", outcome.served().version());
            g.writeStringField("request_id", requestId);
            g.writeBooleanField("cached", outcome.cached());
            if (outcome.degraded()) {
                g.writeBooleanField("degraded", true); // the version's fallback, not a computed answer
            }
            g.writeObjectFieldStart("outputs");
            for (OutputTensor t : outcome.result().outputs()) {
                g.writeFieldName(t.name());
                int rows = (int) t.shape()[0];
                String[] labels = labels(outcome, t);
                if (outcome.single()) {
                    writeRow(g, t, 0, labels);
                } else {
                    g.writeStartArray();
                    for (int r = 0; r < rows; r++) {
                        writeRow(g, t, r, labels);
                    }
                    g.writeEndArray();
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The output's class names when the model names its last dimension and the tensor has that many entries. */
    static String[] labels(Outcome outcome, OutputTensor t) {
        String[] labels = outcome.served().handle().outputLabels(t.name());
        long[] shape = t.shape();
        return labels != null && shape.length > 1 && shape[shape.length - 1] == labels.length ? labels : null;
    }

    /** One row of an output: a number, nested lists by the output's shape, or an object keyed by class names. */
    static void writeRow(JsonGenerator g, OutputTensor t, int row, String[] labels) throws IOException {
        if (t.shape().length <= 1) {
            writeValue(g, t.data(), row);
        } else {
            writeDims(g, t, 1, row * t.rowWidth(), labels);
        }
    }

    /** Writes dimension {@code dim} onwards starting at flat offset {@code offset}. */
    private static void writeDims(JsonGenerator g, OutputTensor t, int dim, int offset, String[] labels)
            throws IOException {
        int n = (int) t.shape()[dim];
        int stride = 1;
        for (int i = dim + 1; i < t.shape().length; i++) {
            stride *= (int) t.shape()[i];
        }
        boolean last = dim == t.shape().length - 1;
        if (last && labels != null) {
            g.writeStartObject();
            for (int i = 0; i < n; i++) {
                g.writeFieldName(labels[i]);
                writeValue(g, t.data(), offset + i);
            }
            g.writeEndObject();
            return;
        }
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            if (last) {
                writeValue(g, t.data(), offset + i);
            } else {
                writeDims(g, t, dim + 1, offset + i * stride, labels);
            }
        }
        g.writeEndArray();
    }

    /** Writes one element of a primitive output array. */
    static void writeValue(JsonGenerator g, Object data, int i) throws IOException {
        switch (data) {
            case float[] a -> g.writeNumber(a[i]);
            case double[] a -> g.writeNumber(a[i]);
            case long[] a -> g.writeNumber(a[i]);
            case int[] a -> g.writeNumber(a[i]);
            case boolean[] a -> g.writeBoolean(a[i]);
            case String[] a -> g.writeString(a[i]);
            default -> throw new IllegalStateException("unsupported output array " + data.getClass());
        }
    }
}
