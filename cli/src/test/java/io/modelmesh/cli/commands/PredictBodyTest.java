package io.modelmesh.cli.commands;

import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --input becomes. Pure. */
class PredictBodyTest {

    @Test
    void aBareRowIsWrappedAsInputs() {
        assertEquals("{\"inputs\":[5.1,3.5,1.4,0.2]}", PredictBody.of("[5.1,3.5,1.4,0.2]", false));
        assertEquals("{\"inputs\":[5.1,3.5,1.4,0.2]}", PredictBody.of("  [5.1, 3.5, 1.4, 0.2]\n", false));
    }

    @Test
    void aBareFeatureMapIsWrappedAsInputs() {
        assertEquals("{\"inputs\":{\"sepal_length\":5.1,\"petal_width\":0.2}}",
                PredictBody.of("{\"sepal_length\":5.1,\"petal_width\":0.2}", false));
    }

    @Test
    void fullBodiesPassThroughUntouched() {
        String body = "{\"inputs\": [5.1, 3.5, 1.4, 0.2], \"parameters\": {\"x\": 1}}";
        assertEquals(body, PredictBody.of(body, false));
        String instances = "{\"instances\": [[1,2],[3,4]]}";
        assertEquals(instances, PredictBody.of(instances, true));
        assertEquals("{\"inputs\": 1.00000000000000000001}", PredictBody.of("{\"inputs\": 1.00000000000000000001}", false),
                "numbers are not re-encoded");
    }

    @Test
    void batchRowsAreWrappedAsInstances() {
        assertEquals("{\"instances\":[[5.1,3.5,1.4,0.2],[6.2,2.9,4.3,1.3]]}",
                PredictBody.of("[[5.1,3.5,1.4,0.2],[6.2,2.9,4.3,1.3]]", true));
        assertEquals("{\"instances\":[[5.1,3.5,1.4,0.2]]}", PredictBody.of("[5.1,3.5,1.4,0.2]", true),
                "one bare row is one instance");
        assertEquals("{\"instances\":[{\"a\":1},{\"a\":2}]}", PredictBody.of("[{\"a\":1},{\"a\":2}]", true));
    }

    @Test
    void wrongShapesAreInvalidInputWithAnExample() {
        for (String[] bad : new String[][] {{"[5.1,", "false"}, {"", "false"}, {"42", "false"}, {"\"x\"", "false"},
                {"{\"a\":1}", "true"}, {"[[1,2],3]", "true"}, {"nonsense", "false"}}) {
            CliException e = assertThrows(CliException.class, () -> PredictBody.of(bad[0], Boolean.parseBoolean(bad[1])),
                    bad[0]);
            assertEquals(ExitCodes.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("[5.1,3.5,1.4,0.2]") || e.getMessage().contains("[["), e.getMessage());
        }
    }
}
