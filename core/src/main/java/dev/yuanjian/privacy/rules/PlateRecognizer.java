package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Vehicle licence plates (GA 36-2018): a province character, the issuing office's letter (not I or
 * O), an optional separator ({@code ·}, space, dash), then 5 letters or digits (at least two digits,
 * no I or O) or, on new-energy plates, 6: {@code D}/{@code F} + a letter or digit + 4 digits (small
 * vehicles) or 5 digits + {@code D}/{@code F} (large). Scores 0.9, 1.0 near a context word. Not
 * covered: the suffix characters of coach, police and consular plates ({@code 学 警 挂 港 澳 使 领}).
 */
final class PlateRecognizer implements Recognizer {
    static final String NAME = "cn-license-plate";
    /** The province-level abbreviations, sorted for binary search. */
    private static final char[] PROVINCES = sorted("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼");
    private static final Context CONTEXT = Context.of("车牌", "牌照", "号牌", "车辆", "plate", "licence", "license", "vehicle");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_LICENSE_PLATE);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        int n = s.length();
        for (int i = 0; i + 7 <= n; i++) {
            // The office letter first: most CJK characters are followed by another, and this test is cheaper than the search.
            char office = s.charAt(i + 1);
            if (!Chars.upper(office) || office == 'I' || office == 'O') {
                continue;
            }
            char c = s.charAt(i);
            if (c < '\u4E00' || java.util.Arrays.binarySearch(PROVINCES, c) < 0) {
                continue;
            }
            int from = i + 2;
            char sep = s.charAt(from);
            if (sep == '·' || sep == ' ' || sep == '-' || sep == '•') {
                from++;
            }
            int to = from;
            while (to < n && to - from < 7 && Chars.alnum(s.charAt(to))) {
                to++;
            }
            if (valid(s, from, to - from)) {
                found.add(new Entity(EntityType.CN_LICENSE_PLATE, i, to, CONTEXT.near(s, i, to) ? 1.0 : 0.9, NAME));
                i = to - 1;
            }
        }
    }

    private static boolean valid(String s, int at, int len) {
        if (len == 6) {
            char first = s.charAt(at);
            char last = s.charAt(at + 5);
            return (first == 'D' || first == 'F') && plateChar(s.charAt(at + 1)) && Chars.digits(s, at + 2, at + 6)
                    || Chars.digits(s, at, at + 5) && (last == 'D' || last == 'F');
        }
        if (len != 5) {
            return false;
        }
        int digits = 0;
        for (int k = at; k < at + 5; k++) {
            char c = s.charAt(k);
            if (!plateChar(c)) {
                return false;
            }
            digits += Chars.digit(c) ? 1 : 0;
        }
        return digits >= 2;
    }

    private static boolean plateChar(char c) {
        return Chars.digit(c) || Chars.upper(c) && c != 'I' && c != 'O';
    }

    private static char[] sorted(String chars) {
        char[] a = chars.toCharArray();
        java.util.Arrays.sort(a);
        return a;
    }
}
