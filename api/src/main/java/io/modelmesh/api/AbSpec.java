package io.modelmesh.api;

import java.util.List;

/**
 * A sticky A/B split. A request whose sticky header is set goes to the arm that consistent (weighted rendezvous)
 * hashing of the header's value picks, so a user stays on one arm while the split is unchanged and as few users as
 * possible move when it changes; a request without the header goes to a random arm by weight.
 *
 * @param stickyKey request header whose value keys the assignment (null: {@code X-User-Id})
 * @param arms      two or more arms with weights adding to 100
 */
public record AbSpec(String stickyKey, List<AbArm> arms) {
    public static final String DEFAULT_STICKY_KEY = "X-User-Id";

    public AbSpec {
        arms = arms == null ? List.of() : List.copyOf(arms);
    }
}
