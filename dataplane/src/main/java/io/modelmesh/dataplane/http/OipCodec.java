package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.dataplane.inference.InputBinding;
import io.modelmesh.dataplane.inference.ParsedInput;
import io.modelmesh.dataplane.inference.PredictionService.Outcome;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.OutputTensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Open Inference Protocol v2 request parsing and response rendering (tensors as flat data plus shape). */
final class OipCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();
    private static final Set<String> NUMERIC = Set.of("FP32", "FP64", "FP16", "INT8", "INT16", "INT32", "INT64",
            "UINT8", "UINT16", "UINT32", "UINT64");

    private OipCodec() {
    }

    static JsonNode tree(byte[] body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new InvalidInputException("the body must be a JSON object {\"inputs\": [{\"name\", \"shape\", "
                        + "\"datatype\", \"data\"}]}");
            }
            return n;
        } catch (IOException e) {
            throw new InvalidInputException("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * Reads the request's rows: either one [N, F] tensor (any name), or, for a model with named features, one tensor
     * of shape [N] or [N, 1] per feature, bound by name (the way tabular servers such as MLServer take columns).
     */
    static ParsedInput parse(JsonNode body, InputBinding binding, int maxRows) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidInputException("\"inputs\" must be a non-empty list of tensors");
        }
        boolean byColumn = inputs.size() > 1
                || binding.columns().containsKey(inputs.get(0).path("name").asText());
        if (byColumn) {
            return parseColumns(inputs, binding, maxRows);
        }
        return parseMatrix(inputs.get(0), binding, maxRows);
    }

    private static ParsedInput parseColumns(JsonNode inputs, InputBinding binding, int maxRows) {
        if (binding.features().isEmpty()) {
            throw new InvalidInputException("the model takes one input tensor named '" + binding.inputName()
                    + "' of shape [N, " + Math.max(binding.rowWidth(), 1) + "], got " + inputs.size() + " tensors");
        }
        int width = binding.features().size();
        float[][] columns = new float[width][];
        int rows = -1;
        for (JsonNode t : inputs) {
            String name = t.path("name").asText();
            Integer col = binding.columns().get(name);
            if (col == null) {
                throw new InvalidInputException("unknown input '" + name + "'; the model's features are "
                        + binding.features());
            }
            if (columns[col] != null) {
                throw new InvalidInputException("input '" + name + "' is given twice");
            }
            checkNumeric(t, name);
            JsonNode shape = t.path("shape");
            boolean column = shape.isArray() && (shape.size() == 1 || shape.size() == 2 && shape.get(1).asLong() == 1);
            if (!column || !shape.get(0).canConvertToInt() || shape.get(0).asInt() < 1) {
                throw new InvalidInputException("input '" + name + "' has shape " + shape + "; a feature takes one "
                        + "value per row: shape [N] or [N, 1]");
            }
            int n = shape.get(0).asInt();
            if (rows >= 0 && n != rows) {
                throw new InvalidInputException("input '" + name + "' has " + n + " rows but another input has "
                        + rows + "; every feature needs the same number of rows");
            }
            if (n > maxRows) {
                throw new InvalidInputException("too many rows: at most " + maxRows + " per request");
            }
            rows = n;
            float[] values = new float[n];
            int[] count = {0};
            flatten(t.path("data"), values, count);
            if (count[0] != n) {
                throw new InvalidInputException("input '" + name + "' has " + count[0] + " values but shape " + shape
                        + " needs " + n);
            }
            columns[col] = values;
        }
        List<String> missing = new java.util.ArrayList<>();
        for (int c = 0; c < width; c++) {
            if (columns[c] == null) {
                missing.add(binding.features().get(c));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("missing input(s) " + missing + "; send one tensor per feature "
                    + binding.features() + " or one [N, " + width + "] tensor");
        }
        float[] values = new float[rows * width];
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                values[r * width + c] = columns[c][r];
            }
        }
        return new ParsedInput(new FloatBatch(values, rows, width), false);
    }

    private static void checkNumeric(JsonNode tensor, String name) {
        String datatype = tensor.path("datatype").asText("FP32");
        if (!NUMERIC.contains(datatype)) {
            throw new InvalidInputException("input '" + name + "' has datatype " + datatype + ", which is not "
                    + "numeric; the model takes numbers (FP32, FP64, INT32, INT64, ...)");
        }
    }

    private static ParsedInput parseMatrix(JsonNode tensor, InputBinding binding, int maxRows) {
        String inputName = binding.inputName();
        checkNumeric(tensor, tensor.path("name").asText(inputName));
        JsonNode shape = tensor.path("shape");
        if (!shape.isArray() || shape.isEmpty()) {
            throw new InvalidInputException("input '" + inputName + "' needs a shape, e.g. [1, "
                    + Math.max(binding.rowWidth(), 1) + "]");
        }
        // the shape is a claim: checked for overflow and against the values actually given before anything is sized by it
        long total = 1;
        for (JsonNode d : shape) {
            if (!d.canConvertToLong() || d.asLong() < 1) {
                throw new InvalidInputException("shape " + shape + " must list positive integers");
            }
            try {
                total = Math.multiplyExact(total, d.asLong());
            } catch (ArithmeticException e) {
                throw new InvalidInputException("shape " + shape + " has more elements than a number can count; "
                        + "send the shape of the data given");
            }
        }
        long given = countValues(tensor.path("data"));
        if (given != total) {
            throw new InvalidInputException("data has " + given + " values but shape " + shape + " needs " + total);
        }
        long rows = shape.size() == 1 ? 1 : shape.get(0).asLong();
        if (rows > maxRows) {
            throw new InvalidInputException("too many rows: at most " + maxRows + " per request");
        }
        int width = (int) (total / rows); // total <= the values in a bounded body: fits an int
        if (binding.rowWidth() > 0 && width != binding.rowWidth()) {
            throw new InvalidInputException("shape " + shape + " gives rows of " + width + " values; the model takes "
                    + binding.rowWidth() + " per row, e.g. shape [N, " + binding.rowWidth() + "]");
        }
        float[] values = new float[(int) total];
        int[] n = {0};
        flatten(tensor.path("data"), values, n);
        return new ParsedInput(new FloatBatch(values, (int) rows, width), false);
    }

    /** Output names the request asks for (empty: all). */
    static Set<String> wantedOutputs(JsonNode body) {
        Set<String> wanted = new HashSet<>();
        for (JsonNode o : body.path("outputs")) {
            wanted.add(o.path("name").asText());
        }
        return wanted;
    }

    static String id(JsonNode body) {
        return body.hasNonNull("id") ? body.get("id").asText() : null;
    }

    /** Leaf values under {@code node} (nested arrays flattened), counted without allocating for them. */
    private static long countValues(JsonNode node) {
        if (!node.isArray()) {
            return node.isMissingNode() ? 0 : 1;
        }
        long n = 0;
        for (JsonNode c : node) {
            n += countValues(c);
        }
        return n;
    }

    private static void flatten(JsonNode node, float[] out, int[] n) {
        if (node.isArray()) {
            for (JsonNode c : node) {
                flatten(c, out, n);
            }
            return;
        }
        if (!node.isNumber()) {
            throw new InvalidInputException("data value " + n[0] + " must be a number, got " + node.getNodeType()
                    .name().toLowerCase());
        }
        double d = node.asDouble();
        if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
            throw new InvalidInputException("data value " + n[0] + " (" + node + ") is outside the float32 range");
        }
        if (n[0] >= out.length) {
            n[0]++;
            return;
        }
        out[n[0]++] = (float) d;
    }

    static byte[] inferResponse(Outcome outcome, String id, Set<String> wanted) {
        for (String w : wanted) {
            if (outcome.result().outputs().stream().noneMatch(t -> t.name().equals(w))) {
                throw new InvalidInputException("unknown output '" + w + "'; the model has "
                        + outcome.result().outputs().stream().map(OutputTensor::name).toList());
            }
        }
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", outcome.served().model());
            g.writeStringField("model_version", outcome.served().version());
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeObjectFieldStart("parameters");
            g.writeBooleanField("cached", outcome.cached());
            if (outcome.degraded()) {
                g.writeBooleanField("degraded", true);
            }
            g.writeEndObject();
            g.writeArrayFieldStart("outputs");
            for (OutputTensor t : outcome.result().outputs()) {
                if (!wanted.isEmpty() && !wanted.contains(t.name())) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.datatype());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data");
                int len = java.lang.reflect.Array.getLength(t.data());
                for (int i = 0; i < len; i++) {
                    PredictionWriter.writeValue(g, t.data(), i);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code GET /v2/models/{m}[/versions/{v}]}. */
    static byte[] metadata(ServedModel model, ServedVersion v) {
        ModelSchema schema = v.handle().model().schema();
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", v.model());
            g.writeArrayFieldStart("versions");
            for (String version : model.versions().keySet()) {
                g.writeString(version);
            }
            g.writeEndArray();
            g.writeStringField("platform", platform(v.target().framework()));
            writeTensors(g, "inputs", schema.inputs());
            writeTensors(g, "outputs", schema.outputs());
            g.writeObjectFieldStart("parameters");
            g.writeStringField("version", v.version());
            g.writeArrayFieldStart("features");
            for (String f : schema.features()) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void writeTensors(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorSpec s : specs) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("datatype", s.datatype());
            g.writeArrayFieldStart("shape");
            for (long d : s.shape()) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            if (!s.labels().isEmpty()) {
                g.writeObjectFieldStart("parameters");
                g.writeArrayFieldStart("labels");
                for (String label : s.labels()) {
                    g.writeString(label);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static String platform(String framework) {
        return switch (framework) {
            case "onnx" -> "onnxruntime_onnx";
            case "torchscript" -> "pytorch_torchscript";
            case "pmml" -> "pmml";
            case "sklearn" -> "sklearn_pmml";
            default -> framework;
        };
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
