package dev.hangar.core.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One node's share of a job's log. Without a prefix it writes through; with one (a job over several nodes) it writes
 * whole lines only, each after the prefix, so that the nodes' lines never cut into one another. What is left without
 * a newline when it closes is written as a last line.
 */
final class NodeLines extends OutputStream {
    private final OutputStream log;
    private final byte[] prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    /** @param prefix e.g. {@code [node 1] }, or null to write through */
    NodeLines(OutputStream log, String prefix) {
        this.log = log;
        this.prefix = prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (prefix == null) {
            synchronized (log) {
                log.write(bytes, offset, length);
            }
            return;
        }
        var start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i + 1 - start);
                writeLine();
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
    }

    @Override
    public void flush() throws IOException {
        synchronized (log) {
            log.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (prefix != null && line.size() > 0) {
            line.write('\n');
            writeLine();
        }
        flush();
    }

    private void writeLine() throws IOException {
        synchronized (log) {
            log.write(prefix);
            line.writeTo(log);
            log.flush();
        }
        line.reset();
    }
}
