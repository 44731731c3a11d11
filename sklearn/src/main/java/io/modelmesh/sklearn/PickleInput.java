package io.modelmesh.sklearn;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The pickle bytes as the unpickler reads them (after any decompression), counted against a budget: reading past it
 * fails with {@link PickleTooLargeException}, and {@link #remaining()} tells a declared length whether the bytes it
 * claims can exist at all. Mark and reset are the underlying stream's, with the count moved back on reset, so bytes
 * read twice (the vetting of joblib object arrays) count once.
 */
final class PickleInput extends FilterInputStream {
    private final long budget;
    private final String what;
    private long position;
    private long markedPosition;

    /**
     * @param in     a stream that supports mark and reset
     * @param budget most bytes it may yield
     * @param what   what bounds the budget, for messages ("the file's 123 bytes", "the upload limit of ...")
     */
    PickleInput(InputStream in, long budget, String what) {
        super(in);
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the pickle stream must support mark/reset");
        }
        this.budget = budget;
        this.what = what;
    }

    /** Bytes that may still be read. */
    long remaining() {
        return budget - position;
    }

    /**
     * Refuses a declared size that cannot fit in what is left.
     *
     * @param size   bytes the pickle says follow (or an array needs)
     * @param holder what declares them, e.g. "a BINBYTES opcode"
     */
    void requireAvailable(long size, String holder) throws PickleTooLargeException {
        if (size < 0 || size > remaining()) {
            throw new PickleTooLargeException(holder + " declares " + (size < 0 ? "a negative size (" + size + ")"
                    : size + " bytes") + " at byte " + position + ", but only " + Math.max(0, remaining())
                    + " can follow within " + what);
        }
    }

    @Override
    public int read() throws IOException {
        if (remaining() <= 0) {
            return overBudget();
        }
        int b = in.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining() <= 0) {
            return overBudget();
        }
        int n = in.read(b, off, (int) Math.min(len, remaining()));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, Math.max(0, remaining())));
        position += skipped;
        return skipped;
    }

    @Override
    public synchronized void mark(int readLimit) {
        in.mark(readLimit);
        markedPosition = position;
    }

    @Override
    public synchronized void reset() throws IOException {
        in.reset();
        position = markedPosition;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    /** At the budget: the end of the data if the stream ends here too, else a refusal. */
    private int overBudget() throws IOException {
        if (in.read() < 0) {
            return -1;
        }
        throw new PickleTooLargeException("the pickle goes on past " + what);
    }

    /** A declared or decompressed size over the budget: the file is refused before anything is allocated for it. */
    static final class PickleTooLargeException extends IOException {
        PickleTooLargeException(String message) {
            super(message);
        }
    }
}
