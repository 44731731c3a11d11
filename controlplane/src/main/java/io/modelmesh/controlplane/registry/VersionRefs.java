package io.modelmesh.controlplane.registry;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelAlias;
import io.modelmesh.api.ShadowSpec;
import io.modelmesh.controlplane.store.AliasRepository;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of versions as users write them: a version ({@code 1.1.0}) or an alias of the model ({@code @champion}).
 * Aliases are resolved when a deployment is planned, so revisions and their specs always name versions.
 */
public final class VersionRefs {
    /** An alias name: a lower-case letter, then up to 63 lower-case letters, digits, '-' and '_'. */
    public static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final AliasRepository aliases;

    public VersionRefs(AliasRepository aliases) {
        this.aliases = aliases;
    }

    /** Whether {@code ref} names an alias ({@code @champion}). */
    public static boolean isAlias(String ref) {
        return ref != null && ref.startsWith("@");
    }

    /**
     * The alias name in {@code ref} ({@code @champion} or {@code champion}).
     *
     * @throws InvalidInputException when it is not a valid alias name
     */
    public static String aliasName(String ref) {
        String name = ref == null ? "" : ref.strip();
        name = name.startsWith("@") ? name.substring(1) : name;
        if (!ALIAS.matcher(name).matches()) {
            throw new InvalidInputException("alias '" + ref + "' is not valid: use a lower-case letter, then up to 63 "
                    + "lower-case letters, digits, '-' and '_' (champion, challenger, prod-eu)");
        }
        return name;
    }

    /**
     * The version {@code ref} names: an alias resolved, anything else as given.
     *
     * @throws NotFoundException when the model has no such alias (naming the ones it has)
     */
    public String resolve(String model, String ref) {
        if (!isAlias(ref)) {
            return ref;
        }
        String name = aliasName(ref);
        return aliases.find(model, name).map(ModelAlias::version).orElseThrow(() -> {
            List<String> known = aliases.list(model).stream().map(a -> "@" + a.alias() + " -> " + a.version())
                    .toList();
            return new NotFoundException("model '" + model + "' has no alias @" + name + (known.isEmpty()
                    ? " (it has none; set one with: mmctl alias set " + model + " " + name + " X.Y.Z)"
                    : " (aliases: " + String.join(", ", known) + ")"));
        });
    }

    /** The spec with every alias it names resolved to its version. */
    public DeploymentSpec resolve(String model, DeploymentSpec spec) {
        if (spec == null) {
            return null;
        }
        CanarySpec c = spec.canary();
        ShadowSpec s = spec.shadow();
        AbSpec ab = spec.ab();
        return new DeploymentSpec(spec.strategy(), resolve(model, spec.stable()),
                c == null ? null : new CanarySpec(resolve(model, c.version()), c.percent(), c.steps(),
                        c.stepIntervalSeconds(), c.analysis()),
                s == null ? null : new ShadowSpec(resolve(model, s.version()), s.percent()),
                ab == null || ab.arms() == null ? ab : new AbSpec(ab.stickyKey(), ab.arms().stream()
                        .map(a -> a == null ? null : new AbArm(resolve(model, a.version()), a.weight())).toList()),
                spec.serving(), spec.drift());
    }
}
