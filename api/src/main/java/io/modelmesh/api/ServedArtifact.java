package io.modelmesh.api;

/**
 * The artifact nodes load for a version when it is not the uploaded file itself: a scikit-learn pickle is converted to
 * PMML at registration, and nodes only ever receive the PMML. Both files are content-addressed in the artifact store.
 *
 * @param sha256    hex sha256 of the served file; its address in the artifact store
 * @param sizeBytes size of the served file
 * @param format    what the served file is ("pmml")
 * @param converter the converter and its version that produced it ("jpmml-sklearn 1.9.0"), the version's lineage
 */
public record ServedArtifact(String sha256, long sizeBytes, String format, String converter) {
}
