package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Unified social credit code, 18 characters (GB 32100-2015) over {@code 0-9 A-Z} without I O S V Z:
 * registration authority, an organisation type digit (1-5 or 9), a six-digit region code whose first
 * two digits are a province (or 10, central organs), the organisation code, and the mod 31 check
 * character. A code of digits only could be an order number that passes by chance (1 in 31), so it
 * needs a context word; a code with letters does not. Scores 1.0.
 */
final class CreditCodeRecognizer implements Recognizer {
    static final String NAME = "cn-social-credit-code";
    private static final Context CONTEXT = Context.of("信用代码", "社会信用", "税号", "纳税人识别号", "营业执照", "注册号",
            "credit code", "uscc", "tax id", "taxpayer", "registration");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_SOCIAL_CREDIT_CODE);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        Tokens.scan(text, 18, 18, (start, end) -> {
            String code = s.substring(start, end);
            if (valid(code) && (!Chars.digits(code, 0, 18) || CONTEXT.near(s, start, end))) {
                found.add(new Entity(EntityType.CN_SOCIAL_CREDIT_CODE, start, end, 1.0, NAME));
            }
        });
    }

    static boolean valid(String code) {
        if (code.length() != 18) {
            return false;
        }
        for (int i = 0; i < 18; i++) {
            if (Checks.creditIndex(code.charAt(i)) < 0) {
                return false;
            }
        }
        char type = code.charAt(1);
        return (type >= '1' && type <= '5' || type == '9') && Chars.digits(code, 2, 8)
                && (Checks.province(code, 2) || code.startsWith("10", 2)) && code.charAt(17) == Checks.creditCheck(code);
    }
}
