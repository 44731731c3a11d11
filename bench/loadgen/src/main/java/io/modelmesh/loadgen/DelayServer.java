package io.modelmesh.loadgen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A server with known latency, to check the load generator against: every answer takes {@code --delay}, and during
 * the first {@code --stall} of every {@code --stall-every} nothing is answered until the stall ends (as in a GC pause).
 * An open-loop measurement of a stall of S every P shows about S/P of the requests late by up to S; a closed-loop one
 * shows only the few requests that were in flight.
 * <pre>java -cp "bench/loadgen/target/loadgen.jar:bench/loadgen/target/lib/*" io.modelmesh.loadgen.DelayServer \
 *     --port 9099 --delay 5ms --stall 500ms --stall-every 5s</pre>
 */
public final class DelayServer {
    private DelayServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = 9099;
        Duration delay = Duration.ZERO;
        Duration stall = Duration.ZERO;
        Duration every = Duration.ZERO;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--delay" -> delay = Options.parseDuration("--delay", args[i + 1]);
                case "--stall" -> stall = Options.parseDuration("--stall", args[i + 1]);
                case "--stall-every" -> every = Options.parseDuration("--stall-every", args[i + 1]);
                default -> {
                    System.err.println(
                            "usage: DelayServer [--port 9099] [--delay 5ms] [--stall 500ms --stall-every 5s]");
                    System.exit(2);
                }
            }
        }
        long start = System.nanoTime();
        long delayNanos = delay.toNanos();
        long stallNanos = stall.toNanos();
        long everyNanos = every.toNanos();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> answer(exchange, start, delayNanos, stallNanos, everyNanos));
        server.start();
        System.out.printf("delay server on http://127.0.0.1:%d/ (delay %d ms, stall %d ms every %d ms)%n",
                server.getAddress().getPort(), delay.toMillis(), stall.toMillis(), every.toMillis());
    }

    private static void answer(HttpExchange exchange, long start, long delayNanos, long stallNanos, long everyNanos)
            throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
            if (everyNanos > 0 && stallNanos > 0) {
                long phase = (System.nanoTime() - start) % everyNanos;
                if (phase < stallNanos) {
                    sleepNanos(stallNanos - phase);
                }
            }
            sleepNanos(delayNanos);
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
