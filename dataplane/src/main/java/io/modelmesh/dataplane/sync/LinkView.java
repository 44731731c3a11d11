package io.modelmesh.dataplane.sync;

import io.modelmesh.api.RevisionNotice;

import java.net.URI;

/** What the node's own endpoints ask of its link to the control planes. */
public interface LinkView {
    /** Whether the last exchange with a control plane succeeded. */
    boolean reachable();

    /** The control plane the node talks to now. */
    URI controlPlane();

    /** A control plane announced a revision (the notice's signature was checked); returns at once. */
    void noticed(RevisionNotice notice);
}
