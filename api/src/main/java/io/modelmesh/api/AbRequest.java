package io.modelmesh.api;

import java.util.List;

/** {@code POST /deployments/ab}: split the model's traffic over sticky arms. */
public record AbRequest(String model, List<AbArm> arms, String stickyKey) {
}
