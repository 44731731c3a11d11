package io.modelmesh.controlplane.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version {@code MAJOR.MINOR.PATCH} (no pre-release or build suffix), ordered numerically. */
public record SemVer(int major, int minor, int patch) implements Comparable<SemVer> {
    private static final Pattern FORM = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");
    private static final Comparator<SemVer> ORDER = Comparator.comparingInt(SemVer::major)
            .thenComparingInt(SemVer::minor).thenComparingInt(SemVer::patch);

    /** The version a new model starts at when none is given. */
    public static final SemVer FIRST = new SemVer(1, 0, 0);

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
    }

    /**
     * Parses {@code X.Y.Z}.
     *
     * @throws IllegalArgumentException saying which form is expected
     */
    public static SemVer parse(String s) {
        Matcher m = s == null ? null : FORM.matcher(s.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("version '" + s + "' is not a semantic version: expected MAJOR.MINOR.PATCH "
                    + "with plain numbers, e.g. 1.0.0 or 2.3.1");
        }
        return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** The next minor release, {@code X.(Y+1).0}: what an unversioned registration of an existing model gets. */
    public SemVer nextMinor() {
        return new SemVer(major, minor + 1, 0);
    }

    /** The version an unversioned registration gets: 1.0.0 for a new model, else the highest one's next minor. */
    public static SemVer next(Collection<SemVer> existing) {
        return highest(existing).map(SemVer::nextMinor).orElse(FIRST);
    }

    public static Optional<SemVer> highest(Collection<SemVer> versions) {
        return versions.stream().max(ORDER);
    }

    @Override
    public int compareTo(SemVer o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
