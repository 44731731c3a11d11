package io.modelmesh.server.errors;

import io.modelmesh.api.ErrorDetail;

import java.util.List;

/** 400: one or more manifests are invalid; {@link #details()} says where (file, line, column, field) and what to fix. */
public final class InvalidManifestException extends ApiException {
    private final List<ErrorDetail> details;

    public InvalidManifestException(List<ErrorDetail> details) {
        super(summary(details));
        this.details = List.copyOf(details);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String code() {
        return "invalid_manifest";
    }

    @Override
    public List<ErrorDetail> details() {
        return details;
    }

    private static String summary(List<ErrorDetail> details) {
        String first = details.isEmpty() ? "" : ": " + where(details.getFirst());
        return details.size() + (details.size() == 1 ? " problem" : " problems") + " in the manifests, nothing was "
                + "applied (fix them and apply again; see details)" + first;
    }

    private static String where(ErrorDetail d) {
        StringBuilder b = new StringBuilder();
        if (d.file() != null) {
            b.append(d.file());
            if (d.line() != null) {
                b.append(':').append(d.line());
                if (d.column() != null) {
                    b.append(':').append(d.column());
                }
            }
            b.append(' ');
        }
        if (d.field() != null) {
            b.append(d.field()).append(": ");
        }
        return b.append(d.message()).toString();
    }
}
