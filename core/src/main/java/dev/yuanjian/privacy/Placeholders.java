package dev.yuanjian.privacy;

import java.util.ArrayList;
import java.util.List;

/** Finding placeholder-shaped literals in text, by a single left-to-right scan (no regular expression). */
public final class Placeholders {
    private Placeholders() {
    }

    /** A placeholder spelled at {@code [start, end)} of a text. */
    public record Found(Placeholder placeholder, int start, int end) {
    }

    /** Every well-formed placeholder in {@code text}, left to right, not overlapping. */
    public static List<Found> find(String text) {
        List<Found> found = new ArrayList<>();
        int n = text.length();
        int i = text.indexOf('[');
        while (i >= 0) {
            int limit = Math.min(n, i + Placeholder.MAX_LENGTH);
            int close = -1;
            for (int j = i + 1; j < limit; j++) {
                char c = text.charAt(j);
                if (c == ']') {
                    close = j;
                    break;
                }
                if (c == '[') {
                    break;
                }
            }
            if (close > 0) {
                var p = Placeholder.parse(text.substring(i, close + 1));
                if (p.isPresent()) {
                    found.add(new Found(p.get(), i, close + 1));
                    i = text.indexOf('[', close + 1);
                    continue;
                }
            }
            i = text.indexOf('[', i + 1);
        }
        return found;
    }

    /** The placeholders spelled in {@code text}. */
    public static List<Placeholder> in(String text) {
        List<Placeholder> out = new ArrayList<>();
        for (Found f : find(text)) {
            out.add(f.placeholder());
        }
        return out;
    }
}
