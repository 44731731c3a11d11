package io.modelmesh.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.errors.UnsupportedMediaTypeException;

import java.util.Locale;

/**
 * Content-Type checks. JSON endpoints read only {@code application/json} (or a {@code +json} type): a browser can send
 * {@code text/plain}, form or multipart bodies to any origin without asking first, but not JSON, so this closes the
 * "a web page posts to the loopback API" door together with the {@link BrowserGuard}.
 */
public final class MediaTypes {
    private MediaTypes() {
    }

    /** @throws UnsupportedMediaTypeException 415 when the request has a body not declared as JSON */
    public static void requireJson(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return; // nothing to misread; the endpoint says what body it needs
        }
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        if (!isJson(type)) {
            throw new UnsupportedMediaTypeException("this endpoint reads JSON: send the body with 'Content-Type: "
                    + "application/json'" + (type == null ? " (the request had no Content-Type)"
                    : " (the request's was '" + abbreviate(type) + "')"));
        }
    }

    /** @throws UnsupportedMediaTypeException 415 unless the request is {@code multipart/form-data} */
    public static void requireMultipart(ServerRequest req) {
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        if (type == null || !base(type).equals("multipart/form-data")) {
            throw new UnsupportedMediaTypeException("this endpoint reads a multipart/form-data upload (curl -F "
                    + "name=... -F file=@model.onnx)" + (type == null ? "" : "; the request's Content-Type was '"
                    + abbreviate(type) + "'"));
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String b = base(contentType);
        return b.equals("application/json") || (b.startsWith("application/") && b.endsWith("+json"));
    }

    private static String base(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
