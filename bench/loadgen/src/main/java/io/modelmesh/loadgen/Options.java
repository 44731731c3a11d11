package io.modelmesh.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line options of {@link OpenLoop}, parsed and checked once. */
record Options(URI url, String method, byte[] body, List<HttpTarget.Header> headers, double rate, Duration duration,
               Duration warmup, int connections, Duration timeout, String label, long rssPid,
               boolean markdownHeader) {

    static final String USAGE = """
            usage: OpenLoop --url http://HOST:PORT/PATH --rate RPS --duration D [options]
              --url URL            target (http only)
              --rate N             requests per second, offered at a constant rate whatever the answers
              --duration D         measured span (e.g. 30s, 500ms, 2m; a bare number is seconds)
              --warmup D           span before it, sent but not recorded (default 0)
              --connections N      keep-alive connections (default 64); a due request waits for a free one
              --body TEXT | --body-file PATH   request body (method then defaults to POST)
              --method M           HTTP method (default POST with a body, GET without)
              --header NAME:VALUE  extra request header, repeatable (Content-Type defaults to application/json)
              --token-file PATH    send 'Authorization: Bearer <token>' with the token in PATH (its first line), so
                                   the token is not on the command line
              --timeout D          connect and read timeout per request (default 10s)
              --label TEXT         first column of the markdown row (default: the URL's path)
              --rss-pid PID        also sample /proc/PID/status VmRSS every 100 ms and report the peak
              --markdown-header    print the table header before the row
            Prints a markdown row and a LOADGEN_RESULT line on stdout; progress on stderr.""";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    Options {
        headers = List.copyOf(headers);
    }

    /** Parses {@code --name value} and {@code --name=value} arguments; IllegalArgumentException says what is wrong. */
    static Options parse(String[] args) {
        URI url = null;
        String method = null;
        byte[] body = null;
        List<HttpTarget.Header> headers = new ArrayList<>();
        Double rate = null;
        Duration duration = null;
        Duration warmup = Duration.ZERO;
        int connections = 64;
        Duration timeout = Duration.ofSeconds(10);
        String label = null;
        long rssPid = -1;
        boolean markdownHeader = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--markdown-header")) {
                markdownHeader = true;
                continue;
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--url" -> url = parseUrl(value);
                case "--method" -> method = value.toUpperCase(Locale.ROOT);
                case "--body" -> body = once(body, value.getBytes(StandardCharsets.UTF_8));
                case "--body-file" -> body = once(body, readFile(value));
                case "--header" -> headers.add(HttpTarget.Header.parse(value));
                case "--token-file" -> headers.add(bearer(value));
                case "--rate" -> rate = parseRate(value);
                case "--duration" -> duration = parseDuration(name, value);
                case "--warmup" -> warmup = parseDuration(name, value);
                case "--connections" -> connections = parseInt(name, value, 1, 10_000);
                case "--timeout" -> timeout = parseDuration(name, value);
                case "--label" -> label = value;
                case "--rss-pid" -> rssPid = parseInt(name, value, 1, Integer.MAX_VALUE);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (url == null || rate == null || duration == null) {
            throw new IllegalArgumentException("--url, --rate and --duration are required");
        }
        if (headers.stream().filter(h -> h.name().equalsIgnoreCase("Authorization")).count() > 1) {
            throw new IllegalArgumentException("give one of --token-file and --header Authorization:..., once");
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be more than 0");
        }
        if (timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be more than 0");
        }
        byte[] b = body == null ? new byte[0] : body;
        String m = method != null ? method : body != null ? "POST" : "GET";
        if (!m.matches("[A-Z]+")) {
            throw new IllegalArgumentException("--method must be a word like GET or POST, got '" + m + "'");
        }
        return new Options(url, m, b, headers, rate, duration, warmup, connections, timeout,
                label != null ? label : url.getPath(), rssPid, markdownHeader);
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1.5s}; a bare number is seconds. */
    static Duration parseDuration(String option, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " wants a duration like 30s, 500ms or 2m, got '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = n * switch (unit) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 1e9;
        };
        return Duration.ofNanos(Math.round(nanos));
    }

    private static double parseRate(String text) {
        try {
            double r = Double.parseDouble(text);
            if (r > 0 && r <= 10_000_000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rate wants requests per second in (0, 10000000], got '" + text + "'");
    }

    private static int parseInt(String option, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " wants a whole number in " + min + ".." + max + ", got '"
                + text + "'");
    }

    private static URI parseUrl(String text) {
        try {
            URI u = new URI(text);
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("--url must be http://HOST[:PORT]/PATH (no TLS), got '" + text
                        + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url is not a URL: " + e.getMessage());
        }
    }

    /**
     * {@code Authorization: Bearer <token>} with the first non-blank line of the file; messages name the file, never
     * the token.
     */
    static HttpTarget.Header bearer(String path) {
        String token;
        try {
            token = Files.readAllLines(Path.of(path), StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).findFirst().orElse("");
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + path + ": cannot read (" + e.getMessage() + ")");
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + path + " is empty");
        }
        if (token.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("--token-file " + path + " does not hold one token (its first line has "
                    + "spaces or characters outside printable ASCII)");
        }
        return new HttpTarget.Header("Authorization", "Bearer " + token);
    }

    private static byte[] once(byte[] existing, byte[] body) {
        if (existing != null) {
            throw new IllegalArgumentException("give one of --body and --body-file, once");
        }
        return body;
    }

    private static byte[] readFile(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("--body-file " + path + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
