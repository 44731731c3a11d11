package io.modelmesh.controlplane.drift;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.controlplane.store.DriftRepository;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Drift references given at registration ({@code mmctl register ... --reference data.csv}): validated against the
 * version's columns before anything is stored, then stored with the version in its registration's transaction, so a
 * version and its reference exist together or not at all.
 */
public final class DriftReferences {
    private final DriftRepository repository;

    public DriftReferences(DriftRepository repository) {
        this.repository = repository;
    }

    /** A reference ready to store: its rows in column order, the file's sha256 and the file itself. */
    public record Prepared(List<String> columns, List<float[]> rows, String sha256, ReferenceFile file) {
    }

    /**
     * Parses the file against the version's schema.
     *
     * @throws InvalidInputException (400) saying what to fix; nothing has been stored
     */
    public Prepared prepare(ReferenceFile file, ModelSchema schema) {
        List<String> columns = DriftColumns.of(schema);
        if (columns.isEmpty()) {
            throw new InvalidInputException("reference: this version's input has no columns drift can follow (it "
                    + "needs feature names, or one input of at most 256 values per row); register it without "
                    + "'reference'");
        }
        return new Prepared(columns, ReferenceParser.parse(file.bytes(), file.filename(), columns),
                sha256(file.bytes()), file);
    }

    /** Stores the reference with the version (inside the registration's transaction). */
    public void store(DbExecute tx, ModelVersion version, Prepared p, Instant at) {
        repository.insertIfAbsent(tx, version.model(), version.version(), p.columns(), DriftService.FILE,
                RowCodec.encode(p.rows(), p.columns().size()), p.rows().size(), p.rows().size(), true, p.sha256(), at);
    }

    /**
     * A registration of a version that exists, with the same artifact, is an idempotent retry; with a reference it is
     * one only when the version was registered with the same reference file.
     *
     * @throws ConflictException otherwise (versions are immutable, their reference with them)
     */
    public void checkRetry(String model, String version, ReferenceFile file) {
        if (file == null) {
            return;
        }
        String sha = sha256(file.bytes());
        String stored = repository.find(model, version).filter(s -> DriftService.FILE.equals(s.source()))
                .map(DriftRepository.Stored::referenceSha256).orElse(null);
        if (!sha.equals(stored)) {
            throw new ConflictException("model '" + model + "' already has version " + version + (stored == null
                    ? " without a reference file" : " with another reference file (sha256 " + stored + ")")
                    + "; a version's reference is stored when it is registered: register a new version with this "
                    + "reference");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
