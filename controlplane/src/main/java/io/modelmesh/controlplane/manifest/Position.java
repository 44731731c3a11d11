package io.modelmesh.controlplane.manifest;

/** A place in a YAML file: 1-based line and column, as the YAML parser reports them. */
public record Position(int line, int column) {
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
