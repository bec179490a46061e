package dev.yuanjian.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A UTF-8 stream read as text a chunk at a time, so that any size is read in bounded memory: a
 * chunk ends after a line break once it holds {@link #TARGET} characters, else after a space by
 * {@link #MAX}, else at {@link #MAX} (never inside a surrogate pair). Personal data does not cross
 * a line break; only a value inside a line longer than {@link #MAX} characters, cut there, can be
 * missed. Strict UTF-8: an invalid byte stops the reading with its offset.
 */
final class TextChunks {
    /** Characters a chunk holds before it may end at a line break. */
    static final int TARGET = 1 << 18;
    /** The most characters a chunk holds. */
    static final int MAX = 1 << 20;

    private final InputStream in;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private final CharBuffer chars = CharBuffer.allocate(1 << 16);
    private final StringBuilder pending = new StringBuilder();
    private long consumed;
    private long offset;
    private long nextOffset;
    private boolean ended;

    TextChunks(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    /**
     * The next chunk, or null after the last; {@link #offset()} then gives where it starts.
     *
     * @throws Main.UserError (exit 3) at the first byte that is not UTF-8, naming its offset
     */
    String next() throws IOException {
        while (!ended && pending.length() < MAX && (pending.length() < TARGET || pending.indexOf("\n", TARGET) < 0)) {
            read();
        }
        if (pending.isEmpty()) {
            return null;
        }
        int cut = cut();
        String chunk = pending.substring(0, cut);
        pending.delete(0, cut);
        offset = nextOffset;
        nextOffset += cut;
        return chunk;
    }

    /** The UTF-16 offset in the whole text of the chunk {@link #next()} returned last. */
    long offset() {
        return offset;
    }

    private int cut() {
        if (ended && pending.length() <= MAX) {
            return pending.length();
        }
        int limit = Math.min(pending.length(), MAX);
        int newline = pending.lastIndexOf("\n", limit - 1);
        if (newline >= 0 && newline + 1 >= Math.min(TARGET, limit)) {
            return newline + 1;
        }
        for (int i = limit - 1; i > limit / 2; i--) {
            if (Character.isWhitespace(pending.charAt(i))) {
                return i + 1;
            }
        }
        return Character.isHighSurrogate(pending.charAt(limit - 1)) ? limit - 1 : limit;
    }

    private void read() throws IOException {
        consumed += bytes.position();
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        boolean last = n < 0;
        if (!last) {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
        CoderResult result = decoder.decode(bytes, chars, last);
        if (result.isError()) {
            throw new Main.UserError(ExitCodes.BAD_INPUT, name + " is not UTF-8 text (invalid byte at offset "
                    + (consumed + bytes.position()) + "): convert it first, e.g. iconv -f GB18030 -t UTF-8");
        }
        if (last) {
            decoder.flush(chars);
            ended = true;
        }
        chars.flip();
        pending.append(chars);
        chars.clear();
    }
}
