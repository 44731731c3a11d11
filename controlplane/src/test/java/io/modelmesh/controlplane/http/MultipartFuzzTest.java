package io.modelmesh.controlplane.http;

import io.modelmesh.server.errors.ApiException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing of the streaming multipart reader the registration endpoint reads uploads with: any body and
 * any Content-Type give parts or a 4xx-class {@link ApiException}, never another exception, and never more content
 * than the body held.
 */
class MultipartFuzzTest {
    private static final String BOUNDARY = "mm-7f3c2a";

    @Property
    void formsGivePartsOrA4xx(@ForAll("forms") byte[] body, @ForAll("contentTypes") String contentType) {
        readAll(body, contentType);
    }

    @Property
    void mangledFormsGivePartsOrA4xx(@ForAll("mangledForms") byte[] body) {
        readAll(body, "multipart/form-data; boundary=" + BOUNDARY);
    }

    @Property(tries = 300)
    void randomBytesGivePartsOrA4xx(@ForAll byte[] body) {
        readAll(body, "multipart/form-data; boundary=" + BOUNDARY);
    }

    private static void readAll(byte[] body, String contentType) {
        long content = 0;
        try {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body),
                    MultipartReader.boundary(contentType));
            for (Optional<MultipartPart> p = reader.next(); p.isPresent(); p = reader.next()) {
                MultipartPart part = p.get();
                assertTrue(part.name() != null, "every part has a name");
                if (part.isFile()) {
                    content += part.content().transferTo(OutputStream.nullOutputStream());
                } else {
                    content += part.text(4096).length();
                }
            }
        } catch (ApiException e) {
            assertTrue(e.status() >= 400 && e.status() < 500, "a client error, not " + e.status());
            return;
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("the multipart reader threw " + e + " instead of a 4xx", e);
        }
        assertTrue(content <= body.length, "parts never hold more bytes than the body: " + content);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(
                Arbitraries.just("multipart/form-data; boundary=" + BOUNDARY),
                Arbitraries.just("multipart/form-data; boundary=\"" + BOUNDARY + "\""),
                Arbitraries.of("multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; "
                        + "boundary=\"\"", "application/json", "", "MULTIPART/FORM-DATA;BOUNDARY=" + BOUNDARY,
                        "multipart/form-data; boundary=" + "x".repeat(201), "multipart/form-data;;;=;boundary"),
                Arbitraries.strings().ofMaxLength(40).map(s -> "multipart/form-data; " + s));
    }

    @Provide
    Arbitrary<byte[]> forms() {
        Arbitrary<String> name = Arbitraries.of("name", "file", "version", "framework", "metadata", "", "na\"me");
        Arbitrary<String> disposition = Combinators.combine(name, Arbitraries.of("", "; filename=\"m.onnx\"",
                        "; filename=", "; filename=\"", "; filename*=UTF-8''m%20.onnx", ";;;", "; name"))
                .as((n, extra) -> "Content-Disposition: form-data; name=\"" + n + "\"" + extra);
        Arbitrary<String> headers = Arbitraries.oneOf(disposition,
                disposition.map(d -> d + "\r\nContent-Type: application/octet-stream"),
                Arbitraries.of("", "Content-Type: text/plain", "Content-Disposition: form-data",
                        "no colon here", "X: " + "h".repeat(20_000)));
        Arbitrary<String> content = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(64),
                Arbitraries.of("\r\n--" + BOUNDARY, "--" + BOUNDARY, "\r\n--" + BOUNDARY.substring(0, 5),
                        "\r\n-", "\r", "\n--" + BOUNDARY + "--"),
                Arbitraries.integers().between(0, 200_000).map("z"::repeat));
        Arbitrary<String> newline = Arbitraries.of("\r\n", "\r\n", "\n", "\r\n  ");
        Arbitrary<String> part = Combinators.combine(headers, newline, content)
                .as((h, nl, c) -> "--" + BOUNDARY + nl + h + "\r\n\r\n" + c + "\r\n");
        Arbitrary<String> ending = Arbitraries.of("--" + BOUNDARY + "--\r\n", "--" + BOUNDARY + "--", "--" + BOUNDARY,
                "", "--" + BOUNDARY + "-", "--" + BOUNDARY + "--trailing epilogue");
        Arbitrary<String> preamble = Arbitraries.of("", "preamble\r\n", "\r\n");
        return Combinators.combine(preamble, part.list().ofMaxSize(5), ending)
                .as((pre, parts, end) -> (pre + String.join("", parts) + end).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> mangledForms() {
        return Combinators.combine(forms(), Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1)
                        .ofMaxSize(3), Arbitraries.of((byte) '\r', (byte) '\n', (byte) '-', (byte) '"', (byte) 0,
                        (byte) ':', (byte) 0xff), Arbitraries.integers().between(0, 1))
                .as((form, positions, value, cut) -> {
                    byte[] b = form;
                    if (b.length == 0) {
                        return b;
                    }
                    for (int at : positions) {
                        if (cut == 1) {
                            b = Arrays.copyOf(b, at % b.length);
                            if (b.length == 0) {
                                return b;
                            }
                        } else {
                            b[at % b.length] = value;
                        }
                    }
                    return b;
                });
    }
}
