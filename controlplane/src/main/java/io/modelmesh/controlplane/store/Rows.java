package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbRow;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Column reading and parameter conversion shared by the repositories (Helidon's {@code DbColumn.get()} rejects NULL). */
final class Rows {
    private Rows() {
    }

    static String text(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? null : v.toString().trim();
    }

    static long number(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? 0 : ((Number) v).longValue();
    }

    static Instant instant(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return switch (v) {
            case null -> null;
            case Timestamp ts -> ts.toInstant();
            case OffsetDateTime odt -> odt.toInstant();
            case Instant i -> i;
            default -> throw new IllegalStateException("column " + column + " holds " + v.getClass() + ", not a time");
        };
    }

    /** An instant as a JDBC parameter for a timestamptz column (explicit UTC offset, independent of the JVM zone). */
    static OffsetDateTime param(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static String toJson(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T fromJson(ObjectMapper json, String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
