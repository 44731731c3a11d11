package io.modelmesh.cli.commands;

import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code mmctl up --demo}: registers the bundled iris classifier as model "iris" (once) and asks it for one prediction,
 * so a new user sees the whole path work.
 */
final class DemoModel {
    static final String NAME = "iris";
    static final String RESOURCE = "/demo/iris.onnx";
    static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
    static final String REQUEST = "{\"inputs\": {\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, "
            + "\"petal_width\": 0.2}}";

    private DemoModel() {
    }

    /** Registers iris unless it is there, then predicts; retries the prediction until the nodes serve it. */
    static Prediction run(ModelMeshClient client, Path home, Consumer<String> progress, Instant deadline) {
        try {
            ModelSummary existing = client.model(NAME);
            progress.accept("demo model " + NAME + " is already registered (live version "
                    + (existing.liveVersion() == null ? "none" : existing.liveVersion()) + ")");
        } catch (ModelMeshException.NotFoundException e) {
            RegistrationResult r = client.register(Registration.of(NAME, extract(home)).withFramework(Framework.ONNX)
                    .withFeatures(FEATURES).withMetadata(java.util.Map.of("source", "mmctl up --demo")));
            progress.accept("registered demo model " + NAME + " " + r.version().version() + (r.deployment() == null ? ""
                    : ", live on " + r.deployment().nodesAcked() + "/" + r.deployment().nodesTotal() + " nodes"));
        }
        progress.accept("predicting: " + REQUEST);
        while (true) {
            try {
                return client.predict(NAME, null, REQUEST);
            } catch (ModelMeshException.NotFoundException | ModelMeshException.UnavailableException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                // the nodes have not switched to the new routing revision yet: wait a little and ask again
                pause(Duration.ofMillis(250));
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    /** Copies the bundled model to HOME/demo/iris.onnx (the SDK uploads from a file). */
    static Path extract(Path home) {
        try (InputStream in = DemoModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CliException(ExitCodes.FAILURE, "this mmctl was built without the demo model (" + RESOURCE
                        + "): generate fixtures/models/iris.onnx with fixtures/make_fixtures.py and rebuild");
            }
            Path target = home.resolve("demo").resolve("iris.onnx");
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "cannot extract the demo model: " + e.getMessage(), e);
        }
    }
}
