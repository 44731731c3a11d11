package io.modelmesh.server.errors;

/**
 * 507: the server has no room to store what was sent (its artifact store quota is used up, or its disk would fall
 * under the free-space margin). The request itself is fine: freeing space or raising the limit lets it through.
 */
public final class InsufficientStorageException extends ApiException {
    public InsufficientStorageException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 507;
    }

    @Override
    public String code() {
        return "insufficient_storage";
    }
}
