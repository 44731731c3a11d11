package io.modelmesh.api.security;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are taken out of text before it is printed, logged or put in a message: the password of a
 * URL's user info ({@code postgresql://user:***@host/db}), query parameters that carry secrets ({@code password=***},
 * {@code sslpassword=***}, {@code token=***}), the values of secret flags on a command line
 * ({@code --admin-token ***}), and secret components of a config record. Over-redacting is acceptable; printing a
 * secret is not.
 */
public final class Redaction {
    /** What replaces a secret. */
    public static final String MASK = "***";

    /** {@code scheme://user:password@}: from the first ':' after the user to the last '@' before any '?' or '#'. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s/?#@:]*):[^\\s?#]*@");
    /** A query (or JDBC property) parameter whose name says it holds a secret. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;][^=&;\\s]*(?:password|passwd|pwd|secret|token)[^=&;\\s]*=)[^&;\\s]*");

    private Redaction() {
    }

    /**
     * {@code text} (a URL, or a message that contains URLs) with user-info passwords and secret query parameters
     * replaced by {@link #MASK}; null stays null.
     */
    public static String url(String text) {
        if (text == null) {
            return null;
        }
        String out = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        return SECRET_PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /** Whether a flag's value is a secret: {@code --admin-token}, {@code --database-password}, not {@code --*-file}. */
    public static boolean secretFlag(String flag) {
        String f = flag.toLowerCase(Locale.ROOT);
        if (!f.startsWith("-") || f.endsWith("-file")) {
            return false;
        }
        return f.contains("password") || f.contains("token") || f.contains("secret") || f.contains("credential");
    }

    /**
     * A command line for printing: values of secret flags (both {@code --flag value} and {@code --flag=value}) masked,
     * URLs in every other argument redacted.
     */
    public static String commandLine(List<String> command) {
        List<String> out = new ArrayList<>(command.size());
        boolean maskNext = false;
        for (String arg : command) {
            if (maskNext) {
                out.add(MASK);
                maskNext = false;
                continue;
            }
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0 && secretFlag(arg.substring(0, eq))) {
                out.add(arg.substring(0, eq + 1) + MASK);
            } else if (secretFlag(arg) && eq < 0) {
                out.add(arg);
                maskNext = true;
            } else {
                out.add(url(arg));
            }
        }
        return String.join(" ", out);
    }

    /**
     * {@code Name[a=1, b=***]}: like a record's own {@code toString}, with components named like secrets (password,
     * token, secret, credential) masked when set and URLs in the others redacted. Records that hold secrets use it as
     * their {@code toString}, so a component added later is covered too.
     */
    public static String record(Record r) {
        StringBuilder sb = new StringBuilder(r.getClass().getSimpleName()).append('[');
        RecordComponent[] components = r.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Object value;
            try {
                var accessor = c.getAccessor();
                accessor.setAccessible(true);
                value = accessor.invoke(r);
            } catch (ReflectiveOperationException | RuntimeException e) {
                value = "?";
            }
            sb.append(i == 0 ? "" : ", ").append(c.getName()).append('=');
            if (value != null && secretFlag("-" + c.getName())) {
                sb.append(MASK);
            } else {
                sb.append(value == null ? "null" : url(String.valueOf(value)));
            }
        }
        return sb.append(']').toString();
    }
}
