package io.modelmesh.controlplane.registry;

import io.modelmesh.server.errors.InvalidInputException;

import java.util.regex.Pattern;

/** What a model name may be: lower-case, URL- and file-safe, 1 to 63 characters. */
public final class ModelNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private ModelNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns the name, or throws a 400 that says what a name may contain. */
    public static String require(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("the model name is missing: send a 'name' field, e.g. name=iris");
        }
        if (!isValid(name)) {
            throw new InvalidInputException("model name '" + name + "' is not allowed: use 1 to 63 characters from "
                    + "a-z, 0-9, '.', '_' and '-', starting with a letter or digit (e.g. iris or fraud-detector.v2)");
        }
        return name;
    }
}
