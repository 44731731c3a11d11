package io.modelmesh.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Small, pure formatting helpers shared by the commands' table views. */
public final class Format {
    /** Made on first use (a holder class): most tables format no JSON value, and a mapper costs a fresh CLI JVM. */
    private static final class Compact {
        static final ObjectMapper MAPPER = Json.mapper();
    }

    private Format() {
    }

    /** 1536 -> "1.5 KiB"; below 1 KiB the byte count. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** ISO-8601 UTC to the second, or "-". */
    public static String instant(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The first 12 hex digits of a sha256, enough to tell artifacts apart in a table. */
    public static String shortSha(String sha) {
        return sha == null ? "-" : sha.length() <= 12 ? sha : sha.substring(0, 12);
    }

    /** {@code input FP32 [-1,4]}, one tensor per line. */
    public static String tensors(List<TensorSpec> specs) {
        if (specs == null || specs.isEmpty()) {
            return "-";
        }
        return specs.stream().map(t -> t.name() + " " + t.datatype() + " " + t.shape().stream().map(String::valueOf)
                .collect(Collectors.joining(",", "[", "]"))
                + (t.labels().isEmpty() ? "" : " " + String.join(",", t.labels()))).collect(Collectors.joining("\n"));
    }

    /** A version's input in one cell: its feature names when it has them, else its input tensors. */
    public static String inputs(ModelSchema schema) {
        if (schema == null) {
            return "-";
        }
        if (!schema.features().isEmpty()) {
            return String.join(",", schema.features());
        }
        return schema.inputs().stream().map(Format::compact).collect(Collectors.joining(" "));
    }

    /** A version's outputs in one cell: names with their class names ({@code label probabilities[a,b,c]}) or shapes. */
    public static String outputs(ModelSchema schema) {
        if (schema == null || schema.outputs().isEmpty()) {
            return "-";
        }
        return schema.outputs().stream().map(t -> t.labels().isEmpty() ? compact(t)
                : t.name() + "[" + String.join(",", t.labels()) + "]").collect(Collectors.joining(" "));
    }

    private static String compact(TensorSpec t) {
        return t.name() + ":" + t.datatype() + t.shape().stream().map(String::valueOf)
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** A value as compact JSON ({@code [0.1,0.9]}), strings without quotes. */
    public static String value(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof String s) {
            return s;
        }
        try {
            return Compact.MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    public static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
