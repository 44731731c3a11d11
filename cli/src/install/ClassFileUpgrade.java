import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites a jar's pre-Java-6 class files (major version below 50) as Java 8 ones (52) with stack map frames, run by
 * install.sh on JDK 25+ with the source launcher: {@code java ClassFileUpgrade.java IN.jar OUT.jar}.
 *
 * <p>Why: picocli is compiled for Java 5, and the JVM's ahead-of-time cache (JEP 483/514) does not archive classes
 * older than 50, which need the old type-inferring verifier; mmctl then loads and verifies ~170 picocli classes from
 * the jar on every run (docs/benchmark_results.md, the mmctl section). The bytecode is not changed: the JDK's
 * ClassFile API copies each method's code and computes the frames a version-52 class must carry, against the jar's
 * own class hierarchy. Every rewritten class is then checked with the JDK's own verifier ({@code ClassFile.verify});
 * on any error nothing is written and the exit code is 1, and install.sh keeps the original jar. Signed jars are
 * refused (a rewrite would break the signature). Entries that need no rewrite are copied unchanged.
 */
public final class ClassFileUpgrade {
    private static final int TARGET = ClassFile.JAVA_8_VERSION;

    private ClassFileUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java ClassFileUpgrade.java IN.jar OUT.jar");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> problems = new ArrayList<>();
        int rewritten = upgrade(in, out, problems);
        if (!problems.isEmpty()) {
            Files.deleteIfExists(out);
            problems.stream().limit(20).forEach(p -> System.err.println("ClassFileUpgrade: " + in + ": " + p));
            System.exit(1);
        }
        System.out.println(rewritten);
    }

    /** Writes {@code out}; returns how many classes were rewritten, or adds to {@code problems} (then out is junk). */
    static int upgrade(Path in, Path out, List<String> problems) throws IOException {
        int rewritten = 0;
        try (ZipFile jar = new ZipFile(in.toFile());
             URLClassLoader own = new URLClassLoader(new URL[] {in.toUri().toURL()}, null);
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(own))));
            for (ZipEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                        || name.endsWith(".DSA") || name.endsWith(".EC"))) {
                    problems.add("signed (" + name + "); a rewrite would break its signature");
                    return rewritten;
                }
                byte[] bytes = jar.getInputStream(e).readAllBytes();
                if (name.endsWith(".class") && major(bytes) < ClassFile.JAVA_6_VERSION) {
                    try {
                        ClassModel model = cf.parse(bytes);
                        ClassTransform version = (builder, element) -> {
                            if (element instanceof ClassFileVersion) {
                                builder.withVersion(TARGET, 0);
                            } else {
                                builder.with(element);
                            }
                        };
                        // re-emitting every method body is what makes the ClassFile API compute stack map frames
                        bytes = cf.transformClass(model,
                                version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
                        cf.verify(bytes).forEach(err -> problems.add(name + ": " + err.getMessage()));
                        rewritten++;
                    } catch (IllegalArgumentException | IllegalStateException ex) {   // e.g. jsr/ret, not allowed in 52
                        problems.add(name + ": " + ex.getMessage());
                    }
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return rewritten;
    }

    /** The class file's major version (bytes 6-7), or {@link Integer#MAX_VALUE} when it is not a class file. */
    static int major(byte[] b) {
        if (b.length < 8 || (b[0] & 0xff) != 0xCA || (b[1] & 0xff) != 0xFE || (b[2] & 0xff) != 0xBA
                || (b[3] & 0xff) != 0xBE) {
            return Integer.MAX_VALUE;
        }
        return ((b[6] & 0xff) << 8) | (b[7] & 0xff);
    }
}
