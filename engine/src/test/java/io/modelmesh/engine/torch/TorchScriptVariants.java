package io.modelmesh.engine.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * TorchScript modules for the cases iris.pt does not cover, made without Python: a TorchScript archive carries its
 * code as source that libtorch compiles when loading, so a copy of iris.pt with a different {@code forward} in
 * {@code code/__torch__.py} is a different module with the same trained weights ({@code self.net} is the iris MLP).
 * The debug map of the replaced file is left out (it points into the old source; libtorch does without it).
 */
final class TorchScriptVariants {
    private static final String CODE = "archive/code/__torch__.py";

    private TorchScriptVariants() {
    }

    /**
     * Writes iris.pt with {@code forward} replaced.
     *
     * @param returns the declared return type, e.g. {@code Tuple[Tensor, Tensor]}
     * @param body    the statements of forward, one per line, without indentation; {@code x} is the input
     */
    static Path write(Path iris, Path dir, String name, String returns, String... body) throws IOException {
        StringBuilder forward = new StringBuilder()
                .append("  def forward(self: __torch__.DictMLP,\n    x: Tensor) -> ").append(returns).append(":\n");
        for (String line : body) {
            forward.append("    ").append(line).append('\n');
        }
        Path out = dir.resolve(name);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(iris));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(CODE + ".debug_pkl")) {
                    continue;
                }
                byte[] data = in.readAllBytes();
                if (e.getName().equals(CODE)) {
                    String code = new String(data, StandardCharsets.UTF_8);
                    data = (code.substring(0, code.indexOf("  def forward")) + forward).getBytes(StandardCharsets.UTF_8);
                }
                stored(zip, e.getName(), data);
            }
        }
        return out;
    }

    /** Torch writes its archives uncompressed; so do these. */
    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
