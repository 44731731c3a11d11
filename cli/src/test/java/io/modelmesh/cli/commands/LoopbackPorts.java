package io.modelmesh.cli.commands;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for the tests that start a local stack with {@code mmctl up}. */
final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** {@code n} distinct free ports (all held open while picking). */
    static int[] distinct(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /** A free port p with p + 1 free as well (both held open while checking). */
    static int pair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = a.getLocalPort();
                if (p < 65535) {
                    try (ServerSocket b = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
                        return p;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            }
        }
        throw new IOException("no two consecutive free ports on loopback");
    }
}
