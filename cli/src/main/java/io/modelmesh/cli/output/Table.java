package io.modelmesh.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows under upper-case headers. Cells are strings, {@link Cell}s or anything with a useful {@code toString()}; null
 * renders as "-".
 */
public record Table(List<String> headers, List<List<Object>> rows) implements Block {
    public Table {
        headers = List.copyOf(headers);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }

    public static Builder of(String... headers) {
        return new Builder(List.of(headers));
    }

    public static final class Builder {
        private final List<String> headers;
        private final List<List<Object>> rows = new ArrayList<>();

        private Builder(List<String> headers) {
            this.headers = headers;
        }

        public Builder row(Object... cells) {
            if (cells.length != headers.size()) {
                throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size()
                        + " columns " + headers);
            }
            rows.add(Arrays.asList(cells));
            return this;
        }

        public Table build() {
            return new Table(headers, rows);
        }
    }
}
