package io.modelmesh.deploy.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the checks find kubectl (without one they are skipped with {@link Kustomize#MISSING}). */
class KustomizeTest {

    @Test
    void kubectlComesFromKubectlThenPath(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path onPath = Files.createFile(bin.resolve("kubectl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path named = Files.createFile(dir.resolve("my-kubectl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(Optional.of(onPath), Kustomize.find(Map.of("PATH", dir + ":" + bin)));
        assertEquals(Optional.of(named), Kustomize.find(Map.of("PATH", bin.toString(), "KUBECTL", named.toString())));
        assertEquals(Optional.empty(), Kustomize.find(Map.of("PATH", dir.resolve("none").toString())));
        assertEquals(Optional.empty(), Kustomize.find(Map.of()));
    }
}
