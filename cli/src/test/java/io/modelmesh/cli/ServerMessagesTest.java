package io.modelmesh.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What mmctl prints of a server's error names commands, never HTTP endpoints (issue 15, item 8). */
class ServerMessagesTest {

    @Test
    void endpointReferencesInParenthesesAreLeftOut() {
        assertEquals("model 'iris' has never had a canary; start one with mmctl canary iris --version X.Y.Z",
                ServerMessages.forCli("model 'iris' has never had a canary; start one with mmctl canary iris "
                        + "--version X.Y.Z (POST /deployments/canary)"));
        assertEquals("model 'iris' never had a shadow; start one with mmctl shadow iris --version X.Y.Z",
                ServerMessages.forCli("model 'iris' never had a shadow; start one with mmctl shadow iris --version "
                        + "X.Y.Z (POST /deployments/shadow {\"model\": \"iris\", \"version\": \"X.Y.Z\"})"));
        assertEquals("model 'iris' has no revision 9; mmctl history iris lists them",
                ServerMessages.forCli("model 'iris' has no revision 9; mmctl history iris lists them "
                        + "(GET /deployments/iris/history)"));
        assertEquals("rollout 3 of model 'iris' is PROMOTED (all steps passed), not running",
                ServerMessages.forCli("rollout 3 of model 'iris' is PROMOTED (all steps passed), not running"),
                "other parentheses stay");
    }

    @Test
    void noDoubledErrorPrefix() {
        assertEquals("Missing required argument(s): --input=JSON",
                ServerMessages.forCli("Error: Missing required argument(s): --input=JSON"));
    }

    @Test
    void aMissingArgumentGroupSaysErrorOnce() {
        Cli.Result r = Cli.run("predict", "iris");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: Missing required argument"), r.toString());
        assertTrue(!r.err().toLowerCase(java.util.Locale.ROOT).contains("error: error:"), r.toString());
    }

    /**
     * The control plane's and the SDK's messages keep the convention: an HTTP endpoint in a message stands in
     * parentheses that start with its method, after the mmctl command (docs/CONTRACTS.md, "Error messages").
     */
    @Test
    void serverSourcesKeepTheConvention() throws IOException {
        Pattern literal = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
        Pattern endpoint = Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE) /");
        List<String> offences = new ArrayList<>();
        for (String dir : List.of("../controlplane/src/main/java", "../sdk/src/main/java")) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (f.getFileName().toString().equals("RegistrationFormReader.java")) {
                        continue; // about a malformed multipart body: only a hand-made request gets it, never mmctl
                    }
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                            continue;
                        }
                        Matcher m = literal.matcher(line);
                        while (m.find()) {
                            String text = m.group(1);
                            Matcher e = endpoint.matcher(text);
                            while (e.find()) {
                                String before = text.substring(0, e.start());
                                if (!before.endsWith("(") && !before.endsWith("(see ")) {
                                    offences.add(f + ":" + (i + 1) + ": " + text);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(offences.isEmpty(), "endpoints outside '(METHOD /path)':\n" + String.join("\n", offences));
    }
}
