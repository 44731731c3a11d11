package io.modelmesh.cli.local;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a server's {@code /health}: ready means HTTP 200. */
public final class HealthProbe {
    private final HttpClient http;

    /** Plain http, or https verified with the JDK's trust store. */
    public HealthProbe() {
        this(null);
    }

    /** @param tls verifies https servers (null: the JDK's default context) */
    public HealthProbe(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    public boolean healthy(URI health) {
        HttpRequest req = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
