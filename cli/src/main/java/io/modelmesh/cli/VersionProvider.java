package io.modelmesh.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code mmctl --version}: the build's version (filtered into mmctl-version.properties) and the Java running it. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
                "mmctl " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")",
        };
    }

    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/mmctl-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through to the manifest
        }
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
