package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Mainland landline with its area code (national numbering plan): {@code 010} or {@code 02x}
 * before 8 digits, {@code 0[3-9]xx} before 7 or 8; the subscriber number does not begin with 0 or 1.
 * Forms: {@code 010-12345678}, {@code 010 1234 5678}, {@code (010) 12345678}, an extension after a
 * dash ({@code 010-12345678-123}, kept in the span) and, only near a context word, the digits run
 * together ({@code 01012345678}). Scores 0.9, 1.0 near a context word. Not covered: {@code +86 10 ...}
 * (the area code without its 0) and extensions written {@code 转123}.
 */
final class LandlineRecognizer implements Recognizer {
    static final String NAME = "cn-landline";
    private static final Context CONTEXT = Context.of("电话", "座机", "固话", "联系", "致电", "传真", "总机", "分机",
            "tel", "phone", "fax", "call", "office", "landline");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_LANDLINE);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        StringBuilder d = new StringBuilder(16);
        DigitRuns.scan(text, (start, end, count) -> {
            int i = 0;
            int parenArea = parenthesisedArea(s, start[0]);
            if (parenArea >= 0) {
                int last = subscriber(s, start, end, count, 0, s.charAt(parenArea + 4) == ')' ? 8 : 7, d);
                if (last >= 0) {
                    add(s, found, parenArea, end[last], true);
                    i = last + 1;
                }
            }
            while (i < count) {
                int last = -1;
                int len = end[i] - start[i];
                if (areaCode(s, start[i], len) && i + 1 < count) {
                    last = subscriber(s, start, end, count, i + 1, len == 4 ? 7 : 8, d);
                    if (last >= 0) {
                        add(s, found, start[i], end[last], true);
                    }
                }
                if (last < 0 && len >= 10 && len <= 12 && Chars.digits(s, start[i], end[i]) && runTogether(s, start[i], len)
                        && CONTEXT.near(s, start[i], end[i])) {
                    last = i;
                    add(s, found, start[i], end[i], false);
                }
                i = last >= 0 ? last + 1 : i + 1;
            }
        });
    }

    private static void add(String s, List<Entity> found, int from, int to, boolean separated) {
        boolean context = !separated || CONTEXT.near(s, from, to);
        found.add(new Entity(EntityType.CN_LANDLINE, from, to, context ? 1.0 : 0.9, NAME));
    }

    /**
     * The index of the last group of a subscriber number of {@code min} to 8 digits (and an extension)
     * from group {@code first}, or -1.
     */
    private static int subscriber(String s, int[] start, int[] end, int count, int first, int min, StringBuilder d) {
        if (first >= count || s.charAt(start[first]) < '2') {
            return -1;
        }
        int last = -1;
        d.setLength(0);
        for (int j = first; j < count && DigitRuns.append(s, start, end, j, 8, d); j++) {
            if (!Chars.digits(d, 0, d.length())) {
                return -1;
            }
            if (d.length() >= min) {
                last = j;
            }
        }
        if (last >= 0 && last + 1 < count && s.charAt(start[last + 1] - 1) == '-' && end[last + 1] - start[last + 1] <= 5
                && Chars.digits(s, start[last + 1], end[last + 1]) && (last + 2 == count)) {
            last++;
        }
        return last;
    }

    /** True when [at, at+len) is an area code: 010, 02x, or 0[3-9]xx. */
    private static boolean areaCode(String s, int at, int len) {
        if (len < 3 || len > 4 || s.charAt(at) != '0' || !Chars.digits(s, at, at + len)) {
            return false;
        }
        char second = s.charAt(at + 1);
        return len == 3 && (second == '2' || second == '1' && s.charAt(at + 2) == '0') || len == 4 && second >= '3';
    }

    /** True when the digits at {@code at} are an area code followed by a 7-8 digit subscriber number. */
    private static boolean runTogether(String s, int at, int len) {
        int area = s.charAt(at + 1) == '1' || s.charAt(at + 1) == '2' ? 3 : 4;
        int rest = len - area;
        return areaCode(s, at, area) && (rest == 8 || rest == 7 && area == 4) && s.charAt(at + area) >= '2';
    }

    /** The index of {@code (} when {@code (0xx) } or {@code (0xxx)} ends just before {@code groupStart}, or -1. */
    private static int parenthesisedArea(String s, int groupStart) {
        int p = groupStart;
        if (p > 0 && s.charAt(p - 1) == ' ') {
            p--;
        }
        if (p == 0 || s.charAt(p - 1) != ')') {
            return -1;
        }
        int close = p - 1;
        for (int len = 3; len <= 4; len++) {
            int open = close - len - 1;
            if (open >= 0 && s.charAt(open) == '(' && areaCode(s, open + 1, len)) {
                return open;
            }
        }
        return -1;
    }
}
