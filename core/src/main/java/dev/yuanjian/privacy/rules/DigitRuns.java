package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.NormalizedText;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The candidate scan of the number recognizers: groups of ASCII digits joined by single spaces or
 * dashes ({@code 138 1234-5678}), read once from left to right. A group may end in {@code X} (the
 * check character of a resident ID). A group touching a letter or digit-like context ({@code abc123},
 * {@code 3.14}, {@code 12:30}, {@code 2024/12}) belongs to no run, so no number is ever found inside
 * a longer token; recognizers take whole groups only, so none is found inside a longer digit string.
 * The scan runs once per text however many recognizers read its runs ({@link NormalizedText#shared}).
 */
final class DigitRuns {
    /** Receives each run: group {@code g} spans [{@code start[g]}, {@code end[g]}) of the text. */
    @FunctionalInterface
    interface Visitor {
        void run(int[] start, int[] end, int count);
    }

    private DigitRuns() {
    }

    /** The runs of the text, found on the first call for a text and reused by the next recognizers. */
    private static final Function<NormalizedText, Runs> RUNS = text -> runs(text.text());

    /**
     * Every run, in text order: {@code data} holds, per run, its group count then each group's start
     * and end; {@code longest} is the most groups in one run.
     */
    private record Runs(int[] data, int length, int longest) {
    }

    /** Visits every run of {@code text} in order. */
    static void scan(NormalizedText text, Visitor visitor) {
        Runs runs = text.shared(RUNS);
        int[] data = runs.data();
        int[] start = new int[runs.longest()];
        int[] end = new int[runs.longest()];
        for (int at = 0; at < runs.length(); ) {
            int count = data[at++];
            for (int g = 0; g < count; g++) {
                start[g] = data[at++];
                end[g] = data[at++];
            }
            visitor.run(start, end, count);
        }
    }

    private static Runs runs(String s) {
        Recorder recorder = new Recorder();
        scan(s, recorder);
        return new Runs(recorder.data, recorder.length, recorder.longest);
    }

    /** Appends each run to a growing {@link Runs#data()}. */
    private static final class Recorder implements Visitor {
        int[] data = new int[64];
        int length;
        int longest;

        @Override
        public void run(int[] start, int[] end, int count) {
            if (length + 1 + 2 * count > data.length) {
                data = Arrays.copyOf(data, Math.max(length + 1 + 2 * count, data.length * 2));
            }
            data[length++] = count;
            for (int g = 0; g < count; g++) {
                data[length++] = start[g];
                data[length++] = end[g];
            }
            longest = Math.max(longest, count);
        }
    }

    private static void scan(String s, Visitor visitor) {
        int n = s.length();
        int[] start = new int[8];
        int[] end = new int[8];
        int count = 0;
        int i = 0;
        while (i < n) {
            if (!Chars.digit(s.charAt(i))) {
                i++;
                continue;
            }
            int from = i;
            while (i < n && Chars.digit(s.charAt(i))) {
                i++;
            }
            if (i < n && (s.charAt(i) == 'X' || s.charAt(i) == 'x') && !Chars.alnumAt(s, i + 1)) {
                i++;
            }
            boolean usable = !Chars.alnumAt(s, i) && !numberMark(s, i, 1) && !Chars.alnumAt(s, from - 1);
            boolean joined = count > 0 && from >= 2 && end[count - 1] == from - 1 && separator(s.charAt(from - 1));
            if (!usable || !joined) {
                if (count > 0) {
                    visitor.run(start, end, count);
                    count = 0;
                }
                if (!usable || numberMark(s, from - 1, -1)) {
                    continue;
                }
            }
            if (count == start.length) {
                start = Arrays.copyOf(start, count * 2);
                end = Arrays.copyOf(end, count * 2);
            }
            start[count] = from;
            end[count] = i;
            count++;
        }
        if (count > 0) {
            visitor.run(start, end, count);
        }
    }

    /**
     * Appends group {@code g}'s digits (and a final X) to {@code out}; false, appending nothing, when
     * that would make {@code out} longer than {@code max}. Recognizers extend a candidate group by
     * group this way, so the work per starting group is bounded by {@code max}.
     */
    static boolean append(String s, int[] start, int[] end, int g, int max, StringBuilder out) {
        if (out.length() + end[g] - start[g] > max) {
            return false;
        }
        out.append(s, start[g], end[g]);
        return true;
    }

    private static boolean separator(char c) {
        return c == ' ' || c == '-';
    }

    /**
     * True when the char at {@code at} is a mark that continues a number past it and a digit follows
     * it in direction {@code step}: {@code . : /} (a decimal, a time, a date, an address) or a comma
     * between digits with exactly three after it (thousands), so the group is no number of its own.
     * A comma between two long numbers is a list.
     */
    private static boolean numberMark(String s, int at, int step) {
        if (at < 0 || at >= s.length() || !Chars.digitAt(s, at + step)) {
            return false;
        }
        char c = s.charAt(at);
        if (c == ',') {
            return Chars.digitAt(s, at - 1) && Chars.digitAt(s, at + 3) && Chars.digits(s, at + 1, at + 4) && !Chars.digitAt(s, at + 4);
        }
        return c == '.' || c == ':' || c == '/';
    }
}
