package io.modelmesh.sklearn;

import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.Messages;
import jakarta.xml.bind.JAXBException;
import net.razorvine.pickle.objects.ClassDict;
import org.dmg.pmml.PMML;
import org.jpmml.model.PMMLUtil;
import org.jpmml.sklearn.SkLearnEncoder;
import sklearn.Estimator;
import sklearn.HasNumberOfFeatures;
import sklearn.neighbors.HasMetric;
import sklearn2pmml.pipeline.PMMLPipeline;
import sklearn2pmml.pipeline.PMMLPipelineUtil;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Converts a scikit-learn estimator or pipeline, saved with pickle or joblib, to a PMML document with jpmml-sklearn, in
 * Java: the file is read by jpmml-python's unpickler, which never runs Python, and refused outright when it names any
 * Python class the converter does not know (see {@link GuardedUnpickler}). A bare estimator is wrapped in a
 * sklearn2pmml PMMLPipeline, as jpmml-sklearn's own command line does; {@code sklearn.pipeline.Pipeline} and
 * {@code PMMLPipeline} objects are converted as they are.
 *
 * <p>Input fields are named by the {@code features} given, else by the estimator's {@code feature_names_in_} (set when
 * it was fitted on a DataFrame), else x1..xN; a classifier's target field is {@code y} and its classes are the
 * estimator's {@code classes_}. Stateless and safe to share between threads.
 */
public final class SklearnConverter {
    private static final String VERSION = readVersion();
    /** Pickle data read out of a compressed file when no limit is given: the control plane's default upload limit. */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;

    private final long maxBytes;

    public SklearnConverter() {
        this(DEFAULT_MAX_BYTES);
    }

    /**
     * @param maxBytes most bytes of pickle data read out of a compressed joblib file (the control plane passes its upload
     *                 limit); a plain pickle is never read past its own size
     */
    public SklearnConverter(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The converter library and its version, e.g. {@code jpmml-sklearn 1.9.0}. */
    public static String converterVersion() {
        return VERSION;
    }

    /**
     * Converts a pickle or joblib file and writes the PMML to {@code pmmlOut} atomically (a temporary file in the same
     * directory moved into place); nothing is left at {@code pmmlOut} when conversion fails.
     *
     * @param features input field names in column order, or empty to take them from the estimator
     * @throws InvalidModelException when the file is unreadable, declares or inflates to more data than it may hold,
     *                               names an unknown Python class, holds no estimator, or jpmml-sklearn cannot convert
     *                               it; the message says which
     * @throws UncheckedIOException  when the PMML cannot be written
     */
    public Conversion convert(Path pickleOrJoblib, List<String> features, Path pmmlOut) throws InvalidModelException {
        Object object = PickleReader.read(pickleOrJoblib, maxBytes);
        String estimator = pythonType(object);
        PMMLPipeline pipeline = pipeline(object, estimator);
        refuseDroppedSettings(pipeline, estimator);
        PMML pmml;
        try {
            if (!features.isEmpty()) {
                checkFeatures(pipeline, features, estimator);
            }
            FeatureLayout layout = FeatureLayout.of(pipeline, features);
            if (layout != null) {
                pipeline.setActiveFields(layout.names());
            }
            pmml = pipeline.encodePMML();
            if (pmml.getHeader() != null) {
                // the same pickle converts to the same bytes, so the content-addressed store keeps one PMML for it
                pmml.getHeader().setTimestamp(null);
            }
            if (layout != null) {
                layout.restore(pmml);
            }
        } catch (RuntimeException e) {
            // jpmml-sklearn signals what it cannot convert with a spread of runtime exceptions (SkLearnException,
            // PythonException, AttributeException, IllegalArgumentException, ClassCastException ...), all of them
            // about this model
            throw new InvalidModelException("cannot convert " + estimator + " to PMML: " + Messages.firstLine(e), e);
        }
        write(pmml, pmmlOut, estimator);
        return new Conversion(pmmlOut, VERSION, estimator);
    }

    private static PMMLPipeline pipeline(Object object, String estimator) throws InvalidModelException {
        PMMLPipeline pipeline;
        try {
            pipeline = PMMLPipelineUtil.toPMMLPipeline(object);
        } catch (RuntimeException e) {
            throw new InvalidModelException("the pickle holds a " + estimator + ", not a scikit-learn estimator or "
                    + "pipeline ModelMesh can convert", e);
        }
        try {
            if (!pipeline.hasFinalEstimator()) {
                throw new InvalidModelException("the pickle holds a " + estimator + ", which ends without an "
                        + "estimator; ModelMesh serves classifiers and regressors");
            }
        } catch (RuntimeException e) {
            throw new InvalidModelException("cannot convert " + estimator + " to PMML: " + Messages.firstLine(e), e);
        }
        return pipeline;
    }

    /**
     * Refuses a model whose conversion would silently answer differently: jpmml-sklearn writes a nearest-neighbours
     * model's metric and p but not its {@code metric_params} (a weighted Minkowski distance's weights, say).
     */
    private static void refuseDroppedSettings(PMMLPipeline pipeline, String estimator) throws InvalidModelException {
        Estimator last = pipeline.getFinalEstimator();
        if (last instanceof HasMetric && last.get("metric_params") instanceof Map<?, ?> params && !params.isEmpty()) {
            throw new InvalidModelException("cannot convert " + estimator + " to PMML: its metric_params " + params
                    .keySet() + " would be dropped by the converter and the served model would answer differently; "
                    + "refit without metric_params");
        }
    }

    private static void checkFeatures(PMMLPipeline pipeline, List<String> features, String estimator)
            throws InvalidModelException {
        if (new HashSet<>(features).size() != features.size() || features.stream().anyMatch(String::isBlank)) {
            throw new InvalidModelException("feature names must be distinct and not blank: " + features);
        }
        int expected = pipeline.getNumberOfFeatures();
        if (expected != HasNumberOfFeatures.UNKNOWN && expected != features.size()) {
            throw new InvalidModelException(features.size() + " feature names were given but the " + estimator
                    + " takes " + expected + " features (n_features_in_)");
        }
    }

    private static void write(PMML pmml, Path out, String estimator) throws InvalidModelException {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream os = new BufferedOutputStream(Channels.newOutputStream(channel))) {
                PMMLUtil.marshal(pmml, os);
                os.flush();
                channel.force(true);
            }
            move(tmp, out);
        } catch (JAXBException e) {
            throw new InvalidModelException("cannot convert " + estimator + " to PMML: the converted model cannot be "
                    + "written: " + Messages.firstLine(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // a leftover hidden .tmp file is harmless; the conversion's own outcome is what the caller needs
        }
    }

    /** The Python type name of an unpickled object, for messages and for {@link Conversion#estimator()}. */
    static String pythonType(Object o) {
        return switch (o) {
            case null -> "None";
            case ClassDict dict -> dict.getClassName();
            case Map<?, ?> m -> "dict";
            case List<?> l -> "list";
            case Object[] a -> "tuple";
            case Collection<?> c -> "set";
            case String s -> "str";
            case byte[] b -> "bytes";
            case Boolean b -> "bool";
            case Integer i -> "int";
            case Long l -> "int";
            case java.math.BigInteger i -> "int";
            case Double d -> "float";
            default -> o.getClass().getName();
        };
    }


    private static String readVersion() {
        String resource = "META-INF/maven/org.jpmml/pmml-sklearn/pom.properties";
        try (InputStream in = SkLearnEncoder.class.getClassLoader().getResourceAsStream(resource)) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String version = p.getProperty("version", SkLearnEncoder.class.getPackage().getImplementationVersion());
            return "jpmml-sklearn " + (version == null ? "(unknown version)" : version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
