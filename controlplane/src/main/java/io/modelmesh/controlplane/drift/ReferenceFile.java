package io.modelmesh.controlplane.drift;

/**
 * The {@code reference} part of a registration as received (already bounded by the form reader).
 *
 * @param bytes    its content
 * @param filename its file name, or null
 */
public record ReferenceFile(byte[] bytes, String filename) {
    /** Largest reference file accepted. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;
}
