package io.modelmesh.controlplane.http;

import io.modelmesh.server.errors.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One part of a multipart/form-data body, as {@link MultipartReader#next()} returns it: form field name, file name (for
 * file parts), content type, headers (lower-case names) and the content, streamed until the next boundary.
 */
public record MultipartPart(String name, String filename, String contentType, Map<String, String> headers,
                            InputStream content) {

    static MultipartPart of(Map<String, String> headers, InputStream content) {
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw MultipartReader.malformed("a part has no Content-Disposition header");
        }
        Map<String, String> params = dispositionParams(disposition);
        String name = params.get("name");
        if (name == null) {
            throw MultipartReader.malformed("a part's Content-Disposition has no name: '" + disposition + "'");
        }
        return new MultipartPart(name, params.get("filename"), headers.get("content-type"), headers, content);
    }

    public boolean isFile() {
        return filename != null;
    }

    /**
     * Reads the content as UTF-8 text.
     *
     * @throws InvalidInputException when it is longer than {@code maxBytes}
     */
    public String text(int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        int n;
        while ((n = content.read(chunk)) > 0) {
            if (out.size() + n > maxBytes) {
                throw new InvalidInputException("form field '" + name + "' is longer than " + maxBytes + " bytes");
            }
            out.write(chunk, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code form-data; name="file"; filename="iris.onnx"} to {name=file, filename=iris.onnx}. */
    static Map<String, String> dispositionParams(String disposition) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = disposition.indexOf(';');
        while (i >= 0 && i < disposition.length()) {
            int eq = disposition.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = disposition.substring(i + 1, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < disposition.length() && disposition.charAt(j) == ' ') {
                j++;
            }
            String value;
            if (j < disposition.length() && disposition.charAt(j) == '"') {
                StringBuilder sb = new StringBuilder();
                int k = j + 1;
                while (k < disposition.length() && disposition.charAt(k) != '"') {
                    char c = disposition.charAt(k);
                    if (c == '\\' && k + 1 < disposition.length()) {
                        c = disposition.charAt(++k);
                    }
                    sb.append(c);
                    k++;
                }
                value = sb.toString();
                i = disposition.indexOf(';', k);
            } else {
                int end = disposition.indexOf(';', j);
                value = disposition.substring(j, end < 0 ? disposition.length() : end).trim();
                i = end;
            }
            params.put(key, value);
        }
        return params;
    }
}
