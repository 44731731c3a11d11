package io.modelmesh.controlplane.nodes;

/** Whether a node takes part in pushes: LIVE nodes heartbeat; DEAD ones have been silent too long. */
public enum NodeState { LIVE, DEAD }
