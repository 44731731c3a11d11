package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AOT training run only puts a command's classes in mmctl's cache when the command really runs its path there:
 * every training command must end as it is meant to on the recorded answers (a change in the API's answers that
 * breaks one fails here; bench/capture_aot_answers.sh records them again).
 */
class AotTrainingTest {
    @Test
    void everyTrainingCommandEndsAsExpectedOnTheRecordedAnswers(@TempDir Path scratch) throws Exception {
        assertEquals(java.util.List.of(), AotTraining.run(scratch));
    }

    @Test
    void theRecordedAnswersCoverWhatTheCommandsAsk() {
        assertTrue(AotTraining.answers().keySet().containsAll(java.util.List.of("GET /models",
                "GET /models/iris/versions", "GET /nodes", "GET /health", "GET /routing", "GET /deployments/iris/history",
                "POST /deployments", "POST /predict/iris")), () -> AotTraining.answers().keySet().toString());
    }
}
