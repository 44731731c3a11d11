package io.modelmesh.controlplane.rollout;

/** What the canary analysis decided, always with the reason a person reads in history and status. */
public sealed interface Verdict {
    String reason();

    /** Healthy, but the current step is not over yet (or there are no steps: promotion is by hand). */
    record Continue(String reason) implements Verdict {
    }

    /** Healthy for the whole step: move the canary to {@code toPercent}. */
    record Advance(int toPercent, String reason) implements Verdict {
    }

    /** Healthy at the last step: the canary becomes the stable version. */
    record Promote(String reason) implements Verdict {
    }

    /** A threshold was breached over the minimum sample: take the canary to 0 % now. */
    record RollBack(String reason) implements Verdict {
    }

    /** Too few canary requests in the window to judge. */
    record Inconclusive(String reason) implements Verdict {
    }
}
