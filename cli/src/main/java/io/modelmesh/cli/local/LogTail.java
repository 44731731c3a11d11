package io.modelmesh.cli.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end (logs are appended to across runs and can be large). */
public final class LogTail {
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    public static List<String> last(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, MAX_BYTES);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            List<String> all = Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\\R"));
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
