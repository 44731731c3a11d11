package io.modelmesh.api.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets never survive {@link Redaction}; text without secrets is left as it was. */
class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://mm:s3cret@db.example:5432/mm | postgresql://mm:***@db.example:5432/mm",
            "postgres://mm:p%40ss@db/mm?sslmode=require | postgres://mm:***@db/mm?sslmode=require",
            "jdbc:postgresql://db/m?user=u&password=s3cret&ssl=1 | jdbc:postgresql://db/m?user=u&password=***&ssl=1",
            "jdbc:postgresql://db/mm?PASSWORD=s3cret | jdbc:postgresql://db/mm?PASSWORD=***",
            "jdbc:postgresql://db/mm?sslpassword=k3y&password=p | jdbc:postgresql://db/mm?sslpassword=***&password=***",
            "redis://:hunter2@cache:6379/0 | redis://:***@cache:6379/0",
            "redis://default:hunter2@cache:6379 | redis://default:***@cache:6379",
            "https://node.example/predict?access_token=abc | https://node.example/predict?access_token=***",
            "cannot connect to postgresql://a:b@h/d: refused | cannot connect to postgresql://a:***@h/d: refused",
            "postgresql://mm:p@ss@db/mm | postgresql://mm:***@db/mm",
    })
    void secretsInUrlsAreMasked(String in, String expected) {
        assertEquals(expected, Redaction.url(in));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:8080/health",
            "jdbc:postgresql://127.0.0.1:5432/postgres",
            "postgresql://mm@db:5432/mm",
            "embedded PostgreSQL in /root/.modelmesh/postgres",
            "https://127.0.0.1:8443/v2/models/iris?version=1.0.0",
            "mail me at ops@example.com about http://h:1/x",
    })
    void textWithoutSecretsIsUnchanged(String in) {
        assertEquals(in, Redaction.url(in));
    }

    @Test
    void nullStaysNull() {
        assertNull(Redaction.url(null));
    }

    @Test
    void commandLinesMaskSecretFlagsAndUrls() {
        String line = Redaction.commandLine(List.of("java", "Main", "--admin-token", "t0k3n", "--database-password=pw",
                "--database-url", "postgresql://u:pw@h/d", "--database-password-file", "/run/secrets/db", "--port",
                "8080"));
        assertEquals("java Main --admin-token *** --database-password=*** --database-url postgresql://u:***@h/d "
                + "--database-password-file /run/secrets/db --port 8080", line);
        assertFalse(line.contains("t0k3n"));
    }

    record Config(String host, String databaseUrl, String databasePassword, String adminToken, Path home,
                  String redisUrl) {
        @Override
        public String toString() {
            return Redaction.record(this);
        }
    }

    @Test
    void recordsMaskSecretComponentsAndRedactUrls() {
        Config c = new Config("127.0.0.1", "jdbc:postgresql://db/mm?password=pw", "pw", "tok", Path.of("/h"),
                "redis://:pw@cache:6379");
        assertEquals("Config[host=127.0.0.1, databaseUrl=jdbc:postgresql://db/mm?password=***, databasePassword=***, "
                + "adminToken=***, home=/h, redisUrl=redis://:***@cache:6379]", c.toString());
        Config none = new Config("h", null, null, null, Path.of("/h"), null);
        assertTrue(none.toString().contains("databasePassword=null, adminToken=null"), none.toString());
    }
}
