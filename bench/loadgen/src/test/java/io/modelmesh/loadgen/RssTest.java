package io.modelmesh.loadgen;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RssTest {

    @Test
    void readsVmRssInKilobytes() {
        String status = """
                Name:\tjava
                VmPeak:\t 4030404 kB
                VmSize:\t 3964868 kB
                VmHWM:\t  391204 kB
                VmRSS:\t  388112 kB
                RssAnon:\t  350000 kB
                Threads:\t44
                """;
        assertEquals(OptionalLong.of(388_112), Rss.parseVmRssKb(status));
    }

    @Test
    void noVmRssLineMeansNoValue() {
        // a zombie's status has no VmRSS line
        assertEquals(OptionalLong.empty(), Rss.parseVmRssKb("Name:\tjava\nState:\tZ (zombie)\n"));
        assertEquals(OptionalLong.empty(), Rss.parseVmRssKb("VmRSS:\t  lots kB\n"));
    }

    @Test
    void readsThisProcess() {
        OptionalLong kb = Rss.readKb(ProcessHandle.current().pid());
        assertTrue(kb.isPresent() && kb.getAsLong() > 1_000, "own VmRSS: " + kb);
        assertEquals(OptionalLong.empty(), Rss.readKb(Integer.MAX_VALUE));
    }
}
