package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Mainland mobile number: 11 digits {@code 1[3-9]} + 9 (MIIT numbering plan), optionally after
 * {@code +86}, {@code 86} or {@code 0086}, with spaces or dashes between groups. No carrier prefix
 * table: numbers move between carriers since 2019. Scores 0.95, 1.0 near a context word. The
 * 13-digit IoT numbers ({@code 140 141 144 146 148}) look like many other numbers, so they are
 * reported only near a context word.
 */
final class MobileRecognizer implements Recognizer {
    static final String NAME = "cn-mobile";
    private static final Context CONTEXT = Context.of("手机", "电话", "联系", "致电", "拨打", "短信", "号码", "微信",
            "tel", "phone", "mobile", "call", "cell", "sms", "whatsapp", "contact");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_MOBILE);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        StringBuilder d = new StringBuilder(16);
        DigitRuns.scan(text, (start, end, count) -> {
            int i = 0;
            while (i < count) {
                int last = -1;
                d.setLength(0);
                for (int j = i; j < count && last < 0 && DigitRuns.append(s, start, end, j, 15, d); j++) {
                    if (!Chars.digits(d, 0, d.length())) {
                        break;
                    }
                    int from = start[i];
                    boolean iot = d.length() == 13 && d.charAt(0) == '1' && d.charAt(1) == '4' && "01468".indexOf(d.charAt(2)) >= 0;
                    boolean prefixed = d.length() == 13 && d.charAt(0) == '8' && d.charAt(1) == '6' && mobile(d, 2)
                            || d.length() == 15 && d.indexOf("0086") == 0 && mobile(d, 4);
                    if (!(prefixed || iot || d.length() == 11 && mobile(d, 0))) {
                        continue;
                    }
                    if (prefixed && from > 0 && s.charAt(from - 1) == '+') {
                        from--;
                    }
                    boolean context = CONTEXT.near(s, from, end[j]);
                    if (iot && !context) {
                        continue;
                    }
                    found.add(new Entity(EntityType.CN_MOBILE, from, end[j], context ? 1.0 : 0.95, NAME));
                    last = j;
                }
                i = last >= 0 ? last + 1 : i + 1;
            }
        });
    }

    private static boolean mobile(CharSequence d, int at) {
        return d.length() - at == 11 && d.charAt(at) == '1' && d.charAt(at + 1) >= '3';
    }
}
