package io.modelmesh.cli.output;

/**
 * A table value with a tone that is shown as a colour on terminals (and as plain text everywhere else). Plain strings are
 * cells too; this is only for values whose state a person scans for (UP/DOWN, LIVE/DEAD, acks).
 */
public record Cell(String text, Tone tone) {
    public enum Tone { GOOD, BAD, WARN, DIM }

    public static Cell good(String text) {
        return new Cell(text, Tone.GOOD);
    }

    public static Cell bad(String text) {
        return new Cell(text, Tone.BAD);
    }

    public static Cell warn(String text) {
        return new Cell(text, Tone.WARN);
    }

    /** A state word (LIVE, ROLLED_BACK, healthy...) in the tone {@link Colors#toneOf(String)} gives it. */
    public static Cell status(String word) {
        return new Cell(String.valueOf(word), Colors.toneOf(word));
    }

    public static Cell dim(String text) {
        return new Cell(text, Tone.DIM);
    }

    /** The text of a plain or styled value; null becomes "-". */
    static String text(Object value) {
        Object v = value instanceof Cell c ? c.text() : value;
        return v == null ? "-" : v.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
