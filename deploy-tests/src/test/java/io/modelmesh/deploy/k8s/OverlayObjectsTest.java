package io.modelmesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay renders, every object it renders fits the Kubernetes schema (fabric8's typed model) with no field
 * left over, and the objects fit together: selectors select the pods, ports name container ports, the autoscaler,
 * the disruption budget and the policies point at the data plane, and every container runs unprivileged with limits.
 */
class OverlayObjectsTest {
    private static final String CP = "controlplane";
    private static final String DP = "dataplane";

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectFitsItsSchema(String overlay) {
        Rendered r = Overlays.rendered(overlay); // TypedObjects.read throws on any misfit
        List<String> kinds = r.objects().stream().map(HasMetadata::getKind).distinct().sorted().toList();
        assertEquals(List.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy",
                "PersistentVolumeClaim", "PodDisruptionBudget", "Secret", "Service", "ServiceMonitor"),
                overlay.equals("prod") ? withSecret(kinds) : kinds);
        r.objects().forEach(o -> assertNotNull(o.getMetadata().getNamespace(), overlay + " leaves "
                + o.getKind() + " " + o.getMetadata().getName() + " without a namespace"));
    }

    /** Production renders no Secret: operators create them (docs/deploy.md). */
    private static List<String> withSecret(List<String> kinds) {
        assertFalse(kinds.contains("Secret"), "the prod overlay must not carry Secrets: they would be committed");
        List<String> out = new ArrayList<>(kinds);
        out.add("Secret");
        return out.stream().sorted().toList();
    }

    @Test
    void aMisspeltFieldFails() {
        Map<String, Object> doc = Map.of("apiVersion", "v1", "kind", "Service",
                "metadata", Map.of("name", "x"),
                "spec", Map.of("selector", Map.of("a", "b"), "ports", List.of(Map.of("port", 80, "targetPrt", 8000))));
        AssertionError e = assertThrows(AssertionError.class, () -> TypedObjects.read(doc));
        assertTrue(e.getMessage().contains(".spec.ports[0].targetPrt"), e.getMessage());
        Map<String, Object> wrongType = Map.of("apiVersion", "v1", "kind", "Service", "metadata", Map.of("name", "x"),
                "spec", Map.of("ports", "8000"));
        assertThrows(AssertionError.class, () -> TypedObjects.read(wrongType));
        Map<String, Object> unknownKind = Map.of("apiVersion", "example.com/v1", "kind", "Widget",
                "metadata", Map.of("name", "x"));
        assertThrows(AssertionError.class, () -> TypedObjects.read(unknownKind));
    }

    @Test
    void theSecretsOperatorsCreateAreDocumented() throws java.io.IOException {
        String docs = java.nio.file.Files.readString(Kustomize.repository().resolve("docs/deploy.md"));
        for (String secretKey : PodEnvironment.EXTERNAL.keySet()) {
            String[] parts = secretKey.split("/");
            assertTrue(docs.contains("`" + parts[0] + "`") && docs.contains("`" + parts[1] + "`"),
                    "docs/deploy.md should tell operators to create Secret " + parts[0] + " with key " + parts[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesSelectTheirPodsAndPorts(String overlay) {
        Rendered r = Overlays.rendered(overlay);
        for (Service s : r.all(Service.class)) {
            Deployment d = selected(r, s.getSpec().getSelector(), "Service " + s.getMetadata().getName());
            Container c = Rendered.container(d);
            for (ServicePort p : s.getSpec().getPorts()) {
                ContainerPort target = Rendered.port(c, p.getTargetPort());
                assertEquals(target.getContainerPort(), p.getPort(), "Service " + s.getMetadata().getName()
                        + " should publish the port the server listens on, as URLs in the configuration name it");
            }
        }
        assertEquals(CP, component(selected(r, r.get(Service.class, "modelmesh-controlplane").getSpec().getSelector(),
                "")));
        assertEquals(DP, component(selected(r, r.get(Service.class, "modelmesh-dataplane").getSpec().getSelector(),
                "")));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theAutoscalerScalesTheDataPlaneOnCpuAndRequestsInFlight(String overlay) {
        Rendered r = Overlays.rendered(overlay);
        HorizontalPodAutoscaler hpa = r.get(HorizontalPodAutoscaler.class, "modelmesh-dataplane");
        Deployment dp = r.deployment(DP);
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(dp.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertNull(dp.getSpec().getReplicas(), "the autoscaler owns the data plane's replicas; a count in the "
                + "Deployment would reset it at every apply");
        assertTrue(hpa.getSpec().getMinReplicas() >= 1 && hpa.getSpec().getMinReplicas() <= hpa.getSpec()
                .getMaxReplicas());
        List<MetricSpec> metrics = hpa.getSpec().getMetrics();
        assertTrue(metrics.stream().anyMatch(m -> m.getType().equals("Resource")
                && m.getResource().getName().equals("cpu")), "scale on CPU");
        assertNotNull(Rendered.container(dp).getResources().getRequests().get("cpu"),
                "CPU utilisation is measured against the container's CPU request");
        assertTrue(metrics.stream().anyMatch(m -> m.getType().equals("Pods")), "scale on a per-pod custom metric");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theDisruptionBudgetKeepsNodesServing(String overlay) {
        Rendered r = Overlays.rendered(overlay);
        PodDisruptionBudget pdb = r.get(PodDisruptionBudget.class, "modelmesh-dataplane");
        assertEquals(DP, component(selected(r, pdb.getSpec().getSelector().getMatchLabels(), "the budget")));
        assertEquals(new IntOrString(1), pdb.getSpec().getMaxUnavailable(),
                "at most one node at a time, whatever the autoscaler's count");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheControlPlaneAndClientsReachTheNodes(String overlay) {
        Rendered r = Overlays.rendered(overlay);
        NetworkPolicy nodes = r.get(NetworkPolicy.class, "modelmesh-dataplane");
        NetworkPolicy api = r.get(NetworkPolicy.class, "modelmesh-controlplane");
        checkPolicy(r, nodes, DP, CP);
        checkPolicy(r, api, CP, DP);
    }

    /** The policy protects the pods of {@code component}, admits {@code peer}'s pods, and names real ports. */
    private static void checkPolicy(Rendered r, NetworkPolicy p, String component, String peer) {
        Deployment d = selected(r, p.getSpec().getPodSelector().getMatchLabels(), "NetworkPolicy "
                + p.getMetadata().getName());
        assertEquals(component, component(d));
        assertEquals(List.of("Ingress"), p.getSpec().getPolicyTypes());
        Map<String, String> peerLabels = r.deployment(peer).getSpec().getTemplate().getMetadata().getLabels();
        boolean admitsPeer = false;
        for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
            assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), "name the ports a rule opens");
            rule.getPorts().forEach(port -> Rendered.port(Rendered.container(d), port.getPort()));
            for (NetworkPolicyPeer from : rule.getFrom()) {
                assertNull(from.getIpBlock(), "no address ranges: peers are pods and namespaces");
                admitsPeer |= from.getNamespaceSelector() == null && from.getPodSelector() != null
                        && matches(from.getPodSelector(), peerLabels);
            }
        }
        assertTrue(admitsPeer, p.getMetadata().getName() + " should admit the " + peer + " pods");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theServiceMonitorScrapesBothServers(String overlay) {
        Rendered r = Overlays.rendered(overlay);
        ServiceMonitor sm = r.get(ServiceMonitor.class, "modelmesh");
        List<Service> scraped = r.all(Service.class).stream()
                .filter(s -> matches(sm.getSpec().getSelector(), s.getMetadata().getLabels())).toList();
        assertEquals(List.of(CP, DP), scraped.stream().map(s -> s.getMetadata().getLabels()
                .get("app.kubernetes.io/component")).sorted().toList());
        sm.getSpec().getEndpoints().forEach(e -> scraped.forEach(s -> assertTrue(s.getSpec().getPorts().stream()
                .anyMatch(p -> p.getName().equals(e.getPort())), s.getMetadata().getName() + " has no port "
                + e.getPort())));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void containersRunUnprivilegedWithinLimits(String overlay) {
        Rendered r = Overlays.rendered(overlay);
        for (Deployment d : r.all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            String name = overlay + " " + d.getMetadata().getName();
            PodSecurityContext psc = pod.getSecurityContext();
            assertEquals(Boolean.TRUE, psc.getRunAsNonRoot(), name + ": runAsNonRoot");
            assertTrue(psc.getRunAsUser() != null && psc.getRunAsUser() > 0, name + ": a non-root uid");
            assertEquals("RuntimeDefault", psc.getSeccompProfile().getType(), name + ": seccomp");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(),
                    name + ": the servers never call the Kubernetes API; mount no token");
            for (Container c : pod.getContainers()) {
                SecurityContext sc = c.getSecurityContext();
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), name + ": allowPrivilegeEscalation");
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), name + ": readOnlyRootFilesystem");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), name + ": drop every capability");
                assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
                assertNotEquals(Boolean.TRUE, sc.getPrivileged(), name);
                for (String kind : List.of("requests", "limits")) {
                    var amounts = kind.equals("requests") ? c.getResources().getRequests()
                            : c.getResources().getLimits();
                    assertNotNull(amounts, name + ": resource " + kind);
                    assertNotNull(amounts.get("cpu"), name + ": cpu " + kind);
                    assertNotNull(amounts.get("memory"), name + ": memory " + kind);
                }
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                        name + ": a writable /tmp (the root filesystem is read-only)");
            }
        }
    }

    private static void assertNotEquals(Object unexpected, Object actual, String message) {
        org.junit.jupiter.api.Assertions.assertNotEquals(unexpected, actual, message);
    }

    static Deployment selected(Rendered r, Map<String, String> selector, String who) {
        List<Deployment> hits = r.all(Deployment.class).stream()
                .filter(d -> selects(selector, d.getSpec().getTemplate().getMetadata().getLabels())).toList();
        assertEquals(1, hits.size(), who + " should select the pods of exactly one Deployment, selects "
                + hits.stream().map(d -> d.getMetadata().getName()).toList());
        return hits.get(0);
    }

    static String component(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/component");
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** A label selector with matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) against labels. */
    static boolean matches(LabelSelector s, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        boolean ok = s.getMatchLabels() == null
                || s.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())));
        if (s.getMatchExpressions() != null) {
            for (var e : s.getMatchExpressions()) {
                String v = l.get(e.getKey());
                ok &= switch (e.getOperator()) {
                    case "In" -> v != null && e.getValues().contains(v);
                    case "NotIn" -> v == null || !e.getValues().contains(v);
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> throw new AssertionError("unknown selector operator " + e.getOperator());
                };
            }
        }
        return ok;
    }
}
