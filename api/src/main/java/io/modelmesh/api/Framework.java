package io.modelmesh.api;

import java.util.Locale;

/** Model formats the platform serves. Later issues add engines; the wire name is the lower-case constant. */
public enum Framework {
    ONNX, TORCHSCRIPT, SKLEARN, PMML;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; throws IllegalArgumentException naming the accepted values. */
    public static Framework parse(String s) {
        for (Framework f : values()) {
            if (f.wireName().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown framework '" + s + "': expected one of onnx, torchscript, sklearn, pmml");
    }
}
