package io.modelmesh.deploy.k8s;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An environment that notes every variable a server's configuration parser asks for (k8s/ and compose.yaml checks). */
public final class RecordingEnvironment extends HashMap<String, String> {
    private final Set<String> asked = new TreeSet<>();

    public RecordingEnvironment(Map<String, String> values) {
        super(values);
    }

    public Set<String> asked() {
        return asked;
    }

    @Override
    public String get(Object key) {
        asked.add(String.valueOf(key));
        return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String fallback) {
        asked.add(String.valueOf(key));
        return super.getOrDefault(key, fallback);
    }

    @Override
    public boolean containsKey(Object key) {
        asked.add(String.valueOf(key));
        return super.containsKey(key);
    }
}
