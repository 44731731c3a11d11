package io.modelmesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes objects read into fabric8's typed model (the Kubernetes OpenAPI schema as Java classes), strictly: a
 * field of the wrong type fails, and so does a field the schema does not have. fabric8's classes keep unknown fields
 * in {@code additionalProperties} instead of refusing them, so after reading, every object of the tree is checked
 * for left-over fields: a misspelt {@code readinesProbe} or {@code secretKeyref} fails with its path.
 */
final class TypedObjects {
    /** Every kind the overlays may contain, by apiVersion and kind; anything else fails as unchecked. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private TypedObjects() {
    }

    /** The key {@code apiVersion/kind} of a rendered document. */
    static String kindKey(Map<String, Object> doc) {
        return doc.get("apiVersion") + "/" + doc.get("kind");
    }

    /**
     * The document as its typed class.
     *
     * @throws AssertionError naming the object and what is wrong: an unknown kind, a value of the wrong type, or
     *                        fields the schema does not define
     */
    static HasMetadata read(Map<String, Object> doc) {
        String key = kindKey(doc);
        Class<? extends HasMetadata> type = KINDS.get(key);
        String name = key + " " + name(doc);
        if (type == null) {
            throw new AssertionError(name + ": no typed model to check it against; add its class to "
                    + "TypedObjects.KINDS (known: " + KINDS.keySet() + ")");
        }
        HasMetadata object;
        try {
            object = MAPPER.convertValue(doc, type);
        } catch (RuntimeException e) {
            throw new AssertionError(name + " does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        List<String> leftovers = new ArrayList<>();
        leftovers(object, "", leftovers);
        if (!leftovers.isEmpty()) {
            throw new AssertionError(name + " has fields " + type.getSimpleName() + " does not define: " + leftovers);
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    private static String name(Map<String, Object> doc) {
        Object meta = doc.get("metadata");
        return meta instanceof Map<?, ?> m ? String.valueOf(((Map<String, Object>) m).get("name")) : "(no name)";
    }

    /** Appends {@code path.field} for every field kept in an {@code additionalProperties} map below {@code node}. */
    static void leftovers(Object node, String path, List<String> out) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                leftovers(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> leftovers(v, path + "[" + k + "]", out));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return; // strings, numbers, booleans: leaves
        }
        for (Method m : node.getClass().getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String n = m.getName();
            if (n.equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) invoke(m, node);
                if (extra != null) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
            } else if (n.startsWith("get") && n.length() > 3) {
                String field = Character.toLowerCase(n.charAt(3)) + n.substring(4);
                leftovers(invoke(m, node), path + "." + field, out);
            }
        }
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + m + ": " + e.getMessage(), e);
        }
    }
}
