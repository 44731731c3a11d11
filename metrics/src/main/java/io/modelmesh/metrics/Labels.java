package io.modelmesh.metrics;

import java.util.List;
import java.util.regex.Pattern;

/** Label names and values of one sample; validation and text rendering. */
final class Labels {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private Labels() {
    }

    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid Prometheus name: '" + name + "'");
        }
        return name;
    }

    static List<String> values(List<String> names, String... values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " label values " + names + ", got "
                    + values.length);
        }
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException("label values must not be null");
            }
        }
        return List.of(values);
    }

    /** {@code {a="x",b="y"}} with an optional extra label (the histogram's {@code le}); empty when there are none. */
    static String render(List<String> names, List<String> values, String extraName, String extraValue) {
        if (names.isEmpty() && extraName == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
        }
        if (extraName != null) {
            sb.append(names.isEmpty() ? "" : ",").append(extraName).append("=\"").append(extraValue).append('"');
        }
        return sb.append('}').toString();
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String formatDouble(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
