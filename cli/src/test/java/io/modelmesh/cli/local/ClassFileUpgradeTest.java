package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * install.sh rewrites picocli's Java 5 class files as Java 8 ones on JDK 25+ (cli/src/install/ClassFileUpgrade.java)
 * so mmctl's AOT cache can hold them. The rewritten jar must keep every entry, hold no class older than 50, and load
 * on the JVM's type-checking verifier (which a version-52 class cannot fall back from), class by class.
 */
class ClassFileUpgradeTest {
    private static final Path TOOL = Path.of("src/install/ClassFileUpgrade.java");

    @Test
    void picocliComesOutAsVerifiedJava8ClassesWithEveryEntryKept(@TempDir Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "install.sh rewrites only on JDK 25+ (java.lang.classfile)");
        Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path out = dir.resolve("picocli.jar");

        Result upgrade = java(dir, TOOL.toAbsolutePath().toString(), picocli.toString(), out.toString());
        assertEquals(0, upgrade.exit(), upgrade.output());

        List<String> before = entries(picocli);
        assertEquals(before, entries(out));
        int old = 0;
        int classes = 0;
        try (ZipFile jar = new ZipFile(out.toFile())) {
            for (ZipEntry e : Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class")) {
                    classes++;
                    byte[] b = jar.getInputStream(e).readAllBytes();
                    old += ((b[6] & 0xff) << 8 | (b[7] & 0xff)) < 50 ? 1 : 0;
                }
            }
        }
        assertEquals(0, old, "classes still older than Java 6");
        assertEquals(Integer.parseInt(upgrade.output().strip()), classes - 1, "all but module-info rewritten");

        // every class loaded and initialised (so linked and verified) by a JVM that has only the rewritten jar
        Path check = dir.resolve("LoadAll.java");
        Files.writeString(check, """
                import java.util.zip.ZipFile;
                public class LoadAll {
                    public static void main(String[] a) throws Exception {
                        int n = 0;
                        try (ZipFile jar = new ZipFile(a[0])) {
                            for (var e : java.util.Collections.list(jar.entries())) {
                                String name = e.getName();
                                if (name.endsWith(".class") && !name.contains("-info")) {
                                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), true,
                                            LoadAll.class.getClassLoader());
                                    n++;
                                }
                            }
                        }
                        System.out.println(n);
                    }
                }
                """);
        Result load = java(dir, "-cp", out.toString(), check.toString(), out.toString());
        assertEquals(0, load.exit(), load.output());
        assertEquals(String.valueOf(classes - 1), load.output().strip());
    }

    @Test
    void aJarWithNoOldClassesIsCopiedAsItIs(@TempDir Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "install.sh rewrites only on JDK 25+ (java.lang.classfile)");
        Path jupiter = Path.of(Test.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path out = dir.resolve("copy.jar");
        Result r = java(dir, TOOL.toAbsolutePath().toString(), jupiter.toString(), out.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("0", r.output().strip());
        assertEquals(entries(jupiter), entries(out));
    }

    private record Result(int exit, String output) {
    }

    private static Result java(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "java did not finish: " + cmd);
        return new Result(p.exitValue(), output);
    }

    private static List<String> entries(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            return Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
        }
    }
}
