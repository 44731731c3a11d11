package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.errors.ApiException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.PayloadTooLargeException;
import io.modelmesh.controlplane.drift.ReferenceFile;
import io.modelmesh.controlplane.registry.ArtifactStore;
import io.modelmesh.controlplane.registry.RegistrationRequest;
import io.modelmesh.server.io.ReadWatchdog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.OptionalLong;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code POST /models} form: text fields into a {@link RegistrationRequest}, the {@code file} part streamed
 * straight into the artifact store's temporary area (hashed and size-checked on the way). Parts may come in any order.
 * Everything is bounded: the whole request (the upload limit plus {@link #FORM_OVERHEAD} for the fields and framing,
 * refused unread when its Content-Length says more), the number of parts and of {@code meta} fields, each text field
 * and all of them together; a request whose bytes stop arriving is ended by the {@link ReadWatchdog}.
 */
final class RegistrationFormReader {
    static final int MAX_FIELD_BYTES = 64 * 1024;
    /** Parts of any name, unknown ones (skipped) included. */
    static final int MAX_PARTS = 64;
    static final int MAX_META_FIELDS = 32;
    /** All text fields together. */
    static final int MAX_TEXT_BYTES = 256 * 1024;
    /** What the request may carry beyond the artifact itself. */
    static final long FORM_OVERHEAD = 1L << 20;
    private static final Set<String> SINGLE_FIELDS = Set.of("name", "version", "framework", "features", "deploy");

    private final ArtifactStore store;
    private final long maxUploadBytes;
    private final ReadWatchdog watchdog;

    RegistrationFormReader(ArtifactStore store, long maxUploadBytes, ReadWatchdog watchdog) {
        this.store = store;
        this.maxUploadBytes = maxUploadBytes;
        this.watchdog = watchdog;
    }

    /** The largest request {@code POST /models} reads. */
    long maxRequestBytes() {
        return maxUploadBytes + FORM_OVERHEAD + ReferenceFile.MAX_BYTES;
    }

    /**
     * @param upload    the received file; the caller must hand it to the registry, which commits or discards it
     * @param reference the drift reference part ({@code reference}), or null
     */
    record Form(RegistrationRequest request, ArtifactStore.Upload upload, ReferenceFile reference) {
    }

    Form read(ServerRequest req) throws IOException {
        String boundary = MultipartReader.boundary(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxRequestBytes()) {
            throw requestTooLarge();
        }
        try (InputStream body = watchdog.guard(req.content().inputStream())) {
            Limited limited = new Limited(body, maxRequestBytes());
            try {
                return read(limited, boundary);
            } catch (ApiException refused) {
                limited.drain(refused);
                throw refused;
            }
        } catch (SocketTimeoutException e) {
            throw new InvalidInputException(e.getMessage(), e); // the connection is gone; no 500 for a quiet client
        }
    }

    private Form read(Limited body, String boundary) throws IOException {
        MultipartReader reader = new MultipartReader(body, boundary);
        Map<String, String> fields = new HashMap<>();
        List<String> meta = new ArrayList<>();
        ArtifactStore.Upload upload = null;
        String filename = null;
        int parts = 0;
        long text = 0;
        ReferenceFile reference = null;
        try {
            for (Optional<MultipartPart> p = reader.next(); p.isPresent(); p = reader.next()) {
                MultipartPart part = p.get();
                if (++parts > MAX_PARTS) {
                    throw new InvalidInputException("the form has more than " + MAX_PARTS + " parts; send the 'file' "
                            + "part and the fields POST /models reads (docs/CONTRACTS.md)");
                }
                if (part.name().equals("meta") || SINGLE_FIELDS.contains(part.name())) {
                    String value = part.text(MAX_FIELD_BYTES);
                    text += value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                    if (text > MAX_TEXT_BYTES) {
                        throw new InvalidInputException("the form's fields hold more than " + MAX_TEXT_BYTES
                                + " bytes of text together; keep metadata short");
                    }
                    if (part.name().equals("meta")) {
                        if (meta.size() >= MAX_META_FIELDS) {
                            throw new InvalidInputException("the form has more than " + MAX_META_FIELDS + " 'meta' "
                                    + "fields");
                        }
                        meta.add(value);
                    } else if (fields.put(part.name(), value) != null) {
                        throw new InvalidInputException("form field '" + part.name() + "' is given twice");
                    }
                    continue;
                }
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
                }
                // other parts are skipped (newer clients may send more; created_by from older ones: the author is
                // the token's name); they count against the part and size limits
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

    private PayloadTooLargeException requestTooLarge() {
        return new PayloadTooLargeException("the registration request is larger than this control plane reads ("
                + maxRequestBytes() + " bytes: the upload limit plus " + (FORM_OVERHEAD + ReferenceFile.MAX_BYTES)
                + " for the form fields and a drift reference); raise "
                + "--max-upload-bytes (MM_MAX_UPLOAD_BYTES) to register a larger artifact");
    }

    /**
     * The request body, failing with a 413 once more than the whole form may hold has arrived. A form refused part-way
     * (an artifact over the upload limit, too many parts) is {@linkplain #drain drained} before the answer goes out.
     */
    private final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        /**
         * Reads and discards the rest of a refused form, as long as it stays within what the whole form may hold, so
         * that the refusal is answered once the client has sent everything. Answering (and closing) while the client
         * still sends resets the connection under it: its HTTP client then reports a broken connection instead of
         * the 400 or 413 that says what to fix. A body past the bound, or one that stalls (the read timeout), is not
         * waited for: the connection is closed after the answer.
         */
        void drain(ApiException refused) {
            byte[] skip = new byte[16 * 1024];
            try {
                while (read <= max) {
                    int n = in.read(skip, 0, (int) Math.min(skip.length, max + 1 - read));
                    if (n < 0) {
                        return;
                    }
                    read += n;
                }
            } catch (IOException e) {
                refused.addSuppressed(e);
            }
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw requestTooLarge();
            }
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
