package io.modelmesh.controlplane.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemVerTest {

    @Test
    void parsesAndPrints() {
        SemVer v = SemVer.parse("1.12.3");
        assertEquals(new SemVer(1, 12, 3), v);
        assertEquals("1.12.3", v.toString());
        assertEquals(new SemVer(0, 0, 0), SemVer.parse(" 0.0.0 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.0", "1.0.0.0", "v1.0.0", "01.0.0", "1.00.0", "1.0.0-rc1", "1.0.0+b", "a.b.c",
            "-1.0.0", "1..0", "9999999999.0.0"})
    void rejectsWhatIsNotPlainSemver(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SemVer.parse(s));
        assertTrue(e.getMessage().contains("MAJOR.MINOR.PATCH"), e.getMessage());
    }

    @Test
    void ordersNumericallyNotLexically() {
        List<SemVer> vs = new ArrayList<>(List.of(SemVer.parse("1.10.0"), SemVer.parse("1.2.0"), SemVer.parse("1.2.10"),
                SemVer.parse("1.2.9"), SemVer.parse("0.9.99"), SemVer.parse("2.0.0")));
        vs.sort(null);
        assertEquals("[0.9.99, 1.2.0, 1.2.9, 1.2.10, 1.10.0, 2.0.0]", vs.toString());
    }

    @Test
    void nextVersionIsOneZeroZeroForANewModelElseTheHighestsNextMinor() {
        assertEquals(SemVer.parse("1.0.0"), SemVer.next(List.of()));
        assertEquals(SemVer.parse("1.11.0"), SemVer.next(List.of(SemVer.parse("1.2.0"), SemVer.parse("1.10.3"),
                SemVer.parse("0.99.0"))));
        assertEquals(SemVer.parse("3.1.0"), SemVer.next(List.of(SemVer.parse("3.0.7"))));
        assertEquals(SemVer.parse("1.10.3"), SemVer.highest(List.of(SemVer.parse("1.2.0"), SemVer.parse("1.10.3")))
                .orElseThrow());
    }
}
