package io.modelmesh.api;

import java.util.function.IntUnaryOperator;

/**
 * Power-of-two-choices selection (Mitzenmacher): look at two distinct candidates drawn at random and take the less
 * loaded. Nearly as good as least-loaded over all candidates, without reading every load or herding onto one. Pure.
 */
public final class PowerOfTwoChoices {
    private PowerOfTwoChoices() {
    }

    /**
     * @param n      number of candidates (> 0)
     * @param load   a candidate's current load (outstanding requests, queued rows ...); negative means unusable
     * @param random two random ints: {@code random.applyAsInt(bound)} in [0, bound)
     * @return the chosen candidate's index, or -1 when both draws (or the only candidate) are unusable
     */
    public static int pick(int n, IntUnaryOperator load, IntUnaryOperator random) {
        if (n <= 0) {
            throw new IllegalArgumentException("no candidates");
        }
        if (n == 1) {
            return load.applyAsInt(0) < 0 ? -1 : 0;
        }
        int a = random.applyAsInt(n);
        int b = random.applyAsInt(n - 1);
        if (b >= a) {
            b++; // distinct from a, uniformly
        }
        int la = load.applyAsInt(a);
        int lb = load.applyAsInt(b);
        if (la < 0) {
            return lb < 0 ? -1 : b;
        }
        if (lb < 0) {
            return a;
        }
        return lb < la ? b : a;
    }
}
