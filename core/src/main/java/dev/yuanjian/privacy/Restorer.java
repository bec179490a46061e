package dev.yuanjian.privacy;

/**
 * Restores placeholders in a text that arrives in pieces (a streamed answer, a tool call's
 * arguments): each {@link #next} returns at once everything but the shortest tail that could still
 * become a placeholder ({@code [}, {@code [PER}, {@code [PERSON_1}: a {@code [} followed only by what
 * can continue one), so a placeholder cut over any number of pieces is restored and nothing else
 * waits. The tail held back is never longer than {@link Placeholder#MAX_LENGTH} - 1 UTF-16 units; a
 * {@code [} followed by anything that cannot continue a placeholder is released with the piece that
 * shows it.
 *
 * <p>The concatenated output equals {@link #restoreAll} of the concatenated input, however the
 * input was cut (inside surrogate pairs too: characters are never split or changed, only whole
 * placeholders are replaced). What is replaced: exactly the placeholders {@code map} issued;
 * well-formed ones it never issued ({@code [PERSON_99]}), {@code [1]}, markdown links and any other
 * bracketed text stay as they were. The held tail is judged by placeholder syntax alone, not by what
 * the map issued, so the map is asked nothing until a placeholder is complete. Not thread-safe: one
 * per answer text.
 */
public final class Restorer {

    /** How an original is written where its placeholder stood. */
    public enum Encoding {
        /** As it is: plain text. */
        TEXT,
        /**
         * Escaped for the inside of a JSON string ({@code "} as {@code \"}, {@code \} as {@code \\},
         * control characters as {@code \}{@code uXXXX}): a tool call's arguments stay valid JSON
         * whatever the original holds.
         */
        JSON_STRING
    }

    private final PlaceholderMap map;
    private final Encoding encoding;
    private final StringBuilder held = new StringBuilder();

    public Restorer(PlaceholderMap map, Encoding encoding) {
        this.map = map;
        this.encoding = encoding;
    }

    /** The next piece; returns what may be sent now (possibly ""), placeholders restored. */
    public String next(String piece) {
        if (held.isEmpty() && piece.indexOf('[') < 0) {
            return piece; // the common case: nothing to hold, nothing to restore
        }
        held.append(piece);
        int cut = heldFrom(held);
        String ready = held.substring(0, cut);
        held.delete(0, cut);
        return restoreAll(ready, map, encoding);
    }

    /** The text ended: returns what was held back (a placeholder's beginning that never completed), as it was. */
    public String end() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    /** How many UTF-16 units are held back now. */
    public int holding() {
        return held.length();
    }

    /**
     * {@code text} with every placeholder {@code map} issued replaced by its original, written as
     * {@code encoding} says; everything else unchanged. For {@link Encoding#TEXT} the same as
     * {@link Pseudonymizer#restore}.
     */
    public static String restoreAll(String text, PlaceholderMap map, Encoding encoding) {
        StringBuilder out = null;
        int at = 0;
        for (Placeholders.Found f : Placeholders.find(text)) {
            var original = map.originalOf(f.placeholder());
            if (original.isEmpty()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16);
            }
            out.append(text, at, f.start());
            if (encoding == Encoding.JSON_STRING) {
                escapeJson(original.get(), out);
            } else {
                out.append(original.get());
            }
            at = f.end();
        }
        return out == null ? text : out.append(text, at, text.length()).toString();
    }

    /**
     * Where the tail to hold back starts in {@code text}: the index of its last {@code [} when
     * everything from there could still grow into a placeholder, else {@code text.length()}. No
     * other tail can: a placeholder holds no {@code [} but its first character.
     */
    static int heldFrom(CharSequence text) {
        int n = text.length();
        int from = Math.max(0, n - (Placeholder.MAX_LENGTH - 1));
        for (int i = n - 1; i >= from; i--) {
            if (text.charAt(i) == '[') {
                return couldStart(text, i + 1, n) ? i : n;
            }
        }
        return n;
    }

    /** Whether {@code text[from, to)} (what follows a {@code [}) is a proper beginning of a placeholder's body. */
    static boolean couldStart(CharSequence text, int from, int to) {
        String body = text.subSequence(from, to).toString();
        for (EntityType t : EntityType.values()) {
            String tag = t.tag();
            if (body.length() <= tag.length()) {
                if (tag.startsWith(body)) {
                    return true;
                }
            } else if (body.startsWith(tag) && body.charAt(tag.length()) == '_' && digitsCouldStart(body, tag.length() + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code body} from {@code from} is a beginning of a placeholder number (none yet, or 1-10 digits, no leading 0, within int). */
    private static boolean digitsCouldStart(String body, int from) {
        int digits = body.length() - from;
        if (digits == 0) {
            return true;
        }
        if (digits > 10 || body.charAt(from) == '0') {
            return false;
        }
        for (int i = from; i < body.length(); i++) {
            if (body.charAt(i) < '0' || body.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(body.substring(from)) <= Integer.MAX_VALUE;
    }

    private static void escapeJson(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
