package io.modelmesh.sklearn;

import java.nio.file.Path;

/**
 * The result of converting a scikit-learn pickle.
 *
 * @param pmml      where the PMML document was written (serve it with the PMML engine)
 * @param converter the converter and its version, e.g. {@code jpmml-sklearn 1.9.0}, to record with the version
 * @param estimator the Python class of the pickled object, e.g. {@code sklearn.ensemble._forest.RandomForestClassifier}
 *                  or {@code sklearn.pipeline.Pipeline}
 */
public record Conversion(Path pmml, String converter, String estimator) {
}
