package dev.yuanjian.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-sent events from an upstream, one at a time (the WHATWG framing: lines ending in LF, CRLF
 * or a lone CR, {@code data:} lines joined by LF, comment lines starting with a colon, a blank line ends an
 * event). Only what a chat stream uses is kept: the data, and whether an event was only comments.
 */
public final class SseReader {
    /**
     * One event. {@code data} is null for a comment-only event (a keep-alive); {@code comment} is
     * then its comment lines after their colons, exactly as sent (a leading space kept), joined by LF.
     */
    public record Event(String data, String comment) {
        public boolean isDone() {
            return "[DONE]".equals(data);
        }
    }

    private final ByteQueue body;
    private final int maxLineBytes;
    private byte[] line = new byte[256];
    private int lineLength;
    /** The last line ended in CR: an LF right after it is that line's CRLF, not an empty line. */
    private boolean afterCr;
    /** No line read yet: a byte order mark may lead the first. */
    private boolean atStart = true;

    SseReader(ByteQueue body, int maxLineBytes) {
        this.body = body;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next event, or null at the end of the stream; waits at most {@code timeoutNanos} per read. */
    Event next(long timeoutNanos) throws IOException {
        StringBuilder data = null;
        String comment = null;
        long bytes = 0; // of this event so far, blank lines and ignored fields included
        while (true) {
            String l = readLine(timeoutNanos);
            if (l != null) {
                if (atStart) {
                    atStart = false;
                    if (l.startsWith("\uFEFF")) {
                        l = l.substring(1); // a byte order mark before the first line is not part of it (WHATWG)
                    }
                }
                bytes += lineLength + 1;
                if (bytes > 4L * maxLineBytes) {
                    // Comments without an end, blank lines or ignored fields forever: never an event, never a cut.
                    throw new IOException("the upstream sent more than " + 4L * maxLineBytes
                            + " bytes without completing an event");
                }
            }
            if (l == null) {
                return data != null ? new Event(data.toString(), null) : null;
            }
            if (l.isEmpty()) {
                if (data != null) {
                    return new Event(data.toString(), null);
                }
                if (comment != null) {
                    return new Event(null, comment);
                }
                continue;
            }
            if (l.charAt(0) == ':') {
                comment = comment == null ? l.substring(1) : comment + "\n" + l.substring(1);
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            // event:, id:, retry: are not used by chat streams and are ignored, as browsers do for unknown fields.
        }
    }

    /**
     * The next line without its end. A lone CR ends a line as LF and CRLF do (WHATWG), so no line
     * read here holds a CR: what the gateway relays is split exactly as the client's parser splits it.
     */
    private String readLine(long timeoutNanos) throws IOException {
        lineLength = 0;
        while (true) {
            ByteBuffer b = body.next(timeoutNanos); // the queue hands back a partly read buffer until it is used up
            if (b == null) {
                return lineLength == 0 ? null : finish();
            }
            while (b.hasRemaining()) {
                byte c = b.get();
                if (afterCr) {
                    afterCr = false;
                    if (c == '\n') {
                        continue; // the LF of a CRLF
                    }
                }
                if (c == '\n' || c == '\r') {
                    afterCr = c == '\r';
                    return finish();
                }
                if (lineLength == line.length) {
                    if (line.length >= maxLineBytes) {
                        throw new IOException("the upstream sent an event line longer than " + maxLineBytes + " bytes");
                    }
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[lineLength++] = c;
            }
        }
    }

    private String finish() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }
}
