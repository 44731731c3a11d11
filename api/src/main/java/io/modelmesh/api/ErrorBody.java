package io.modelmesh.api;

import java.util.List;

/**
 * The one error shape every ModelMesh endpoint returns.
 *
 * @param status    HTTP status code
 * @param error     stable machine-readable code, e.g. {@code invalid_input}, {@code not_found}, {@code conflict}
 * @param message   what went wrong and what to do about it, written for the person who sent the request
 * @param requestId the request id (echoed from {@code X-Request-ID} when given), or null
 * @param details   precise problems (each manifest field that failed validation), or null
 */
public record ErrorBody(int status, String error, String message, String requestId, List<ErrorDetail> details) {
    public ErrorBody(int status, String error, String message, String requestId) {
        this(status, error, message, requestId, null);
    }
}
