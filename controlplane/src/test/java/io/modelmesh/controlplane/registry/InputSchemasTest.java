package io.modelmesh.controlplane.registry;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputSchemasTest {
    static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    static ModelSchema tensor(long width, List<String> features) {
        return new ModelSchema(List.of(new TensorSpec("input", "FP32", List.of(-1L, width))), List.of(), features);
    }

    static ModelSchema columns(List<String> features) {
        return new ModelSchema(features.stream().map(f -> new TensorSpec(f, "FP64", List.of(-1L))).toList(),
                List.of(), features);
    }

    @Test
    void theWidthComesFromTheTensorTheColumnsOrTheNames() {
        assertEquals(4, InputSchemas.width(tensor(4, List.of())));
        assertEquals(12, InputSchemas.width(new ModelSchema(List.of(new TensorSpec("x", "FP32",
                List.of(-1L, 3L, 4L))), List.of(), List.of())));
        assertEquals(4, InputSchemas.width(columns(IRIS)));
        assertEquals(-1, InputSchemas.width(new ModelSchema(List.of(new TensorSpec("x", "FP32", List.of(-1L, -1L))),
                List.of(), List.of())), "a dynamic width is unknown");
        assertEquals(2, InputSchemas.width(new ModelSchema(List.of(), List.of(), List.of("a", "b"))));
    }

    @Test
    void namesAreInheritedOnlyWhenTheWidthIsKnownAndTheSame() {
        assertTrue(InputSchemas.inheritable(tensor(4, List.of()), IRIS));
        assertFalse(InputSchemas.inheritable(tensor(3, List.of()), IRIS), "another width");
        assertFalse(InputSchemas.inheritable(tensor(4, List.of("a", "b", "c", "d")), IRIS), "names of its own");
        assertFalse(InputSchemas.inheritable(new ModelSchema(List.of(new TensorSpec("x", "FP32", List.of(-1L, -1L))),
                List.of(), List.of()), IRIS), "an unknown width is not the same width");
        assertTrue(InputSchemas.namesFit(new ModelSchema(List.of(new TensorSpec("x", "FP32", List.of(-1L, -1L))),
                List.of(), List.of()), IRIS), "names a user gives may fit an unknown width");
    }

    @Test
    void theDifferenceNamesWidthAndFeatures() {
        assertFalse(InputSchemas.compare(tensor(4, IRIS), tensor(4, IRIS)).changed());
        assertFalse(InputSchemas.compare(tensor(4, List.of()), tensor(4, List.of())).changed());
        InputSchemas.Difference d = InputSchemas.compare(tensor(4, IRIS), tensor(3,
                List.of("sepal_length", "sepal_width", "petal_area")));
        assertTrue(d.changed());
        assertEquals("width 4 -> 3; features removed: [petal_length, petal_width]; features added: [petal_area]",
                d.describe());
        InputSchemas.Difference lost = InputSchemas.compare(tensor(4, IRIS), tensor(4, List.of()));
        assertEquals("features removed: " + IRIS, lost.describe(), "the trap of issue 15: names lost");
        assertEquals("the same features in another order", InputSchemas.compare(tensor(4, IRIS),
                tensor(4, List.of("sepal_width", "sepal_length", "petal_length", "petal_width"))).describe());
    }
}
