package io.modelmesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One overlay as {@code kubectl kustomize} renders it, read into typed objects, with look-ups the checks share. */
record Rendered(String overlay, List<HasMetadata> objects) {

    static Rendered of(String overlay) {
        return new Rendered(overlay, Kustomize.render(overlay).stream().map(TypedObjects::read).toList());
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(overlay + " renders no " + type.getSimpleName()
                + " " + name + " (it has " + objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName())
                .toList() + ")"));
    }

    /** The Deployment whose pods carry {@code app.kubernetes.io/component: component}. */
    Deployment deployment(String component) {
        return all(Deployment.class).stream()
                .filter(d -> component.equals(d.getSpec().getTemplate().getMetadata().getLabels()
                        .get("app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + " renders no " + component
                        + " Deployment"));
    }

    static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(d.getMetadata().getName() + " should run one container, has " + containers.size());
        }
        return containers.get(0);
    }

    /** The container port a probe, Service or policy names (by name or number); fails when there is none. */
    static ContainerPort port(Container c, IntOrString ref) {
        return c.getPorts().stream()
                .filter(p -> ref.getIntVal() != null ? ref.getIntVal().equals(p.getContainerPort())
                        : ref.getStrVal().equals(p.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("container " + c.getName() + " has no port "
                        + (ref.getIntVal() != null ? ref.getIntVal() : ref.getStrVal())));
    }

    /** A value of a rendered Secret ({@code data}, base64, or {@code stringData}), if the overlay renders it. */
    Optional<String> secretValue(String secret, String key) {
        return find(Secret.class, secret).map(s -> {
            if (s.getStringData() != null && s.getStringData().containsKey(key)) {
                return s.getStringData().get(key);
            }
            String b64 = s.getData() == null ? null : s.getData().get(key);
            if (b64 == null) {
                throw new AssertionError("Secret " + secret + " has no key " + key);
            }
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        });
    }

    String configValue(String configMap, String key) {
        Map<String, String> data = get(ConfigMap.class, configMap).getData();
        if (data == null || !data.containsKey(key)) {
            throw new AssertionError("ConfigMap " + configMap + " has no key " + key);
        }
        return data.get(key);
    }
}
