package io.modelmesh.cli.output;

import java.util.ArrayList;
import java.util.List;

/** Key/value lines for one record ({@code model   iris}); values are strings or {@link Cell}s, null renders as "-". */
public record Details(List<Entry> entries) implements Block {
    public Details {
        entries = List.copyOf(entries);
    }

    public record Entry(String key, Object value) {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        public Builder add(String key, Object value) {
            entries.add(new Entry(key, value));
            return this;
        }

        public Details build() {
            return new Details(entries);
        }
    }
}
