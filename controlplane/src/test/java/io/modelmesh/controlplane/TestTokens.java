package io.modelmesh.controlplane;

import io.modelmesh.api.Scope;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.sdk.ModelMeshClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens for tests: the bootstrap ones a control plane writes under its home, and named ones made through the API. */
public final class TestTokens {
    private static final Map<String, String> NAMED = new ConcurrentHashMap<>();

    private TestTokens() {
    }

    public static String admin(ControlPlane cp) {
        return read(cp, "admin-token");
    }

    public static String join(ControlPlane cp) {
        return read(cp, "join-token");
    }

    /** An SDK client with the admin token. */
    public static ModelMeshClient adminClient(ControlPlane cp) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).token(admin(cp)).build();
    }

    /**
     * A token named {@code name} (the author of what it changes) with {@code scopes} (deploy when none), made once
     * per control plane.
     */
    public static String named(ControlPlane cp, String name, Scope... scopes) {
        Scope[] s = scopes.length == 0 ? new Scope[] {Scope.DEPLOY} : scopes;
        return NAMED.computeIfAbsent(cp.uri() + "|" + cp.config().home() + "|" + name + "|" + Arrays.toString(s),
                k -> adminClient(cp).createToken(new TokenRequest(name,
                        Arrays.stream(s).map(Scope::wireName).toList(), null, null)).token());
    }

    /** An SDK client acting as {@code name} with scope deploy. */
    public static ModelMeshClient client(ControlPlane cp, String name) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).token(named(cp, name)).build();
    }

    private static String read(ControlPlane cp, String file) {
        try {
            return Files.readString(cp.config().home().resolve(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> wire(Scope... scopes) {
        return Arrays.stream(scopes).map(Scope::wireName).toList();
    }
}
