package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.PayloadTooLargeException;
import io.modelmesh.controlplane.drift.ReferenceFile;
import io.modelmesh.controlplane.registry.ArtifactStore;
import io.modelmesh.controlplane.registry.RegistrationRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code POST /models} form: text fields into a {@link RegistrationRequest}, the {@code file} part streamed
 * straight into the artifact store's temporary area (hashed and size-checked on the way). Parts may come in any order.
 */
final class RegistrationFormReader {
    static final int MAX_FIELD_BYTES = 64 * 1024;
    private static final Set<String> SINGLE_FIELDS = Set.of("name", "version", "framework", "features", "deploy");

    private final ArtifactStore store;
    private final long maxUploadBytes;

    RegistrationFormReader(ArtifactStore store, long maxUploadBytes) {
        this.store = store;
        this.maxUploadBytes = maxUploadBytes;
    }

    /**
     * @param upload    the received file; the caller must hand it to the registry, which commits or discards it
     * @param reference the drift reference part ({@code reference}), or null
     */
    record Form(RegistrationRequest request, ArtifactStore.Upload upload, ReferenceFile reference) {
    }

    Form read(ServerRequest req) throws IOException {
        String boundary = MultipartReader.boundary(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
        InputStream body = req.content().inputStream();
        return read(body, boundary);
    }

    Form read(InputStream body, String boundary) throws IOException {
        MultipartReader reader = new MultipartReader(body, boundary);
        Map<String, String> fields = new HashMap<>();
        List<String> meta = new ArrayList<>();
        ArtifactStore.Upload upload = null;
        String filename = null;
        ReferenceFile reference = null;
        try {
            for (Optional<MultipartPart> p = reader.next(); p.isPresent(); p = reader.next()) {
                MultipartPart part = p.get();
                if (part.name().equals("file")) {
                    if (upload != null) {
                        throw new InvalidInputException("send exactly one 'file' part; this request has several");
                    }
                    upload = store.receive(part.content(), maxUploadBytes);
                    filename = part.filename();
                } else if (part.name().equals("reference")) {
                    if (reference != null) {
                        throw new InvalidInputException("send at most one 'reference' part; this request has several");
                    }
                    reference = new ReferenceFile(bytes(part, ReferenceFile.MAX_BYTES), part.filename());
                } else if (part.name().equals("meta")) {
                    meta.add(part.text(MAX_FIELD_BYTES));
                } else if (SINGLE_FIELDS.contains(part.name())) {
                    if (fields.put(part.name(), part.text(MAX_FIELD_BYTES)) != null) {
                        throw new InvalidInputException("form field '" + part.name() + "' is given twice");
                    }
                }
                // other parts are ignored (newer clients may send more; created_by from older ones: the author is
                // the token's name)
            }
            if (upload == null) {
                throw new InvalidInputException("the 'file' part with the model artifact is missing "
                        + "(e.g. curl -F name=iris -F file=@iris.onnx)");
            }
            RegistrationRequest request = new RegistrationRequest(fields.get("name"), fields.get("version"),
                    fields.get("framework"), fields.get("features"), meta, fields.get("deploy"), null,
                    filename);
            return new Form(request, upload, reference);
        } catch (IOException | RuntimeException e) {
            if (upload != null) {
                store.discard(upload);
            }
            throw e;
        }
    }

    /** A part's bytes, refused (413) past {@code max} before more is read. */
    private static byte[] bytes(MultipartPart part, int max) throws IOException {
        byte[] b = part.content().readNBytes(max + 1);
        if (b.length > max) {
            throw new PayloadTooLargeException("form field '" + part.name() + "' is larger than " + max
                    + " bytes; send a sample of at most " + (max >> 20) + " MiB");
        }
        return b;
    }
}
