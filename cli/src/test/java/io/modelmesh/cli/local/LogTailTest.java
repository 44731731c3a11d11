package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTailTest {
    @Test
    void lastLines(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("x.log"),
                IntStream.range(0, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));
        assertEquals(List.of("line 97", "line 98", "line 99"), LogTail.last(log, 3));
        assertEquals(List.of(), LogTail.last(dir.resolve("missing.log"), 3));
    }
}
