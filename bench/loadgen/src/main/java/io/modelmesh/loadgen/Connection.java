package io.modelmesh.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * One keep-alive HTTP/1.1 connection used by one worker thread at a time: write the request, read the response.
 * Reconnects when the server closes it; a request on a reused connection that the server had already dropped is
 * sent once more on a new one (nothing of it was answered).
 */
final class Connection implements AutoCloseable {
    private final HttpTarget target;
    private final int timeoutMillis;
    private final ResponseReader reader = new ResponseReader();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean used;

    Connection(HttpTarget target, Duration timeout) {
        this.target = target;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    /** Opens the socket now unless it is open (so a run can start with every connection established). */
    void open() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(target.host(), target.port()), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
        used = false;
    }

    /** Sends the target's request and returns the response status; the connection is closed on any error. */
    int exchange() throws IOException {
        boolean retry = true;
        while (true) {
            open();
            boolean reused = used;
            used = true;
            try {
                out.write(target.requestBytes());
                out.flush();
            } catch (IOException e) {
                close();
                if (!reused || !retry) {
                    throw e;
                }
                retry = false;
                continue;
            }
            try {
                ResponseReader.Response r = reader.read(in);
                if (!r.keepAlive()) {
                    close();
                }
                return r.status();
            } catch (ResponseReader.NoResponseException e) {
                close();
                if (!reused || !retry) {
                    throw e;
                }
                retry = false;
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket we give up on: nothing left to do
            }
        }
    }
}
