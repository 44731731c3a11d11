package io.modelmesh.api;

/**
 * Whether a node takes part in pushes ({@link NodeStatus#state()}): LIVE nodes heartbeat; DEAD ones have been silent
 * too long. On the wire as the constant's name ({@code "LIVE"}, {@code "DEAD"}).
 */
public enum NodeState { LIVE, DEAD }
