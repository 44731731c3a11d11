package io.modelmesh.sdk;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds a multipart/form-data body whose file part streams from disk with a known length. */
final class Multipart {
    private final String boundary = "mm-" + UUID.randomUUID();
    private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    Multipart field(String name, String value) {
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n", StandardCharsets.UTF_8));
        return this;
    }

    Multipart file(String name, Path file) throws FileNotFoundException {
        return file(name, file, null);
    }

    /** A file part; {@code progress}, when given, hears how many of the file's bytes have been sent. */
    Multipart file(String name, Path file, java.util.function.LongConsumer progress) throws FileNotFoundException {
        String filename = file.getFileName().toString().replace("\"", "");
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                StandardCharsets.UTF_8));
        HttpRequest.BodyPublisher bytes = HttpRequest.BodyPublishers.ofFile(file);
        parts.add(progress == null ? bytes : new CountingPublisher(bytes, progress));
        parts.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
        return this;
    }

    HttpRequest.BodyPublisher build() {
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new));
    }
}
