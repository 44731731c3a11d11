package io.modelmesh.api;

import java.util.List;

/**
 * {@code POST /deployments/ab}: split the model's traffic over sticky arms (each a version or an alias). Arms taking
 * different input schemas are refused unless {@code allowSchemaChange} is true.
 */
public record AbRequest(String model, List<AbArm> arms, String stickyKey, Boolean allowSchemaChange) {
    public AbRequest(String model, List<AbArm> arms, String stickyKey) {
        this(model, arms, stickyKey, null);
    }

    /** Whether the request allows arms with different input schemas. */
    public boolean schemaChangeAllowed() {
        return Boolean.TRUE.equals(allowSchemaChange);
    }
}
