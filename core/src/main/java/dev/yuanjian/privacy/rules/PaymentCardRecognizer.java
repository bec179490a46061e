package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Payment card numbers with a valid Luhn check digit (ISO/IEC 7812-1), written whole or in groups
 * ({@code 6222 0212 3456 7890}). Which kind, by issuer identification number:
 * UnionPay {@code 62}, 16-19 digits: {@link EntityType#CN_BANK_CARD}; the international schemes'
 * ranges (Visa 4; Mastercard 51-55, 2221-2720; Amex 34, 37; Discover 6011, 644-649, 65; JCB
 * 3528-3589; Diners 300-305, 36, 38, 39) at their lengths: {@link EntityType#CREDIT_CARD}; any other
 * 16-19 digits only near a context word (domestic debit cards): {@link EntityType#CN_BANK_CARD}.
 * Luhn alone passes one number in ten, so these score 0.9-0.95, 1.0 near a context word; a resident
 * ID that happens to pass Luhn keeps its 1.0. Near a word naming another kind of number ({@code 订单号},
 * {@code order}, {@code tracking}) and no card word, nothing is reported.
 */
final class PaymentCardRecognizer implements Recognizer {
    static final String NAME = "payment-card";
    private static final Context CONTEXT = Context.of("卡号", "银行卡", "信用卡", "储蓄卡", "借记卡", "银联", "账号", "帐号",
            "card", "visa", "mastercard", "amex", "unionpay", "account", "debit", "credit");
    /** Words that name the number as something else; they overrule the issuer range, not a card word. */
    private static final Context OTHER = Context.of("订单", "单号", "编号", "流水", "运单", "工单", "order", "tracking", "ticket",
            "invoice", "reference", "serial");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_BANK_CARD, EntityType.CREDIT_CARD);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        StringBuilder d = new StringBuilder(20);
        DigitRuns.scan(text, (start, end, count) -> {
            if (count > 1 && whole(s, start, end, count, d) && add(s, d, start[0], end[count - 1], found)) {
                return;
            }
            for (int g = 0; g < count; g++) {
                d.setLength(0);
                if (DigitRuns.append(s, start, end, g, 19, d)) {
                    add(s, d, start[g], end[g], found);
                }
            }
        });
    }

    /** The digits of the whole run into {@code d}, unless there are more than 19. */
    private static boolean whole(String s, int[] start, int[] end, int count, StringBuilder d) {
        d.setLength(0);
        for (int g = 0; g < count; g++) {
            if (!DigitRuns.append(s, start, end, g, 19, d)) {
                return false;
            }
        }
        return true;
    }

    private static boolean add(String s, StringBuilder d, int from, int to, List<Entity> found) {
        int len = d.length();
        if (len < 13 || !Chars.digits(d, 0, len) || !Checks.luhn(d)) {
            return false;
        }
        boolean card = CONTEXT.near(s, from, to);
        if (!card && OTHER.near(s, from, to)) {
            return false;
        }
        EntityType type;
        double score;
        if (d.charAt(0) == '6' && d.charAt(1) == '2' && len >= 16) {
            type = EntityType.CN_BANK_CARD;
            score = 0.95;
        } else if (international(d)) {
            type = EntityType.CREDIT_CARD;
            score = 0.9;
        } else if (len >= 16 && card) {
            type = EntityType.CN_BANK_CARD;
            score = 1.0;
        } else {
            return false;
        }
        found.add(new Entity(type, from, to, card ? 1.0 : score, NAME));
        return true;
    }

    /** True when the number lies in an international scheme's IIN range at one of its lengths. */
    static boolean international(CharSequence d) {
        int len = d.length();
        int two = Checks.number(d, 0, 2);
        int three = Checks.number(d, 0, 3);
        int four = Checks.number(d, 0, 4);
        return d.charAt(0) == '4' && (len == 13 || len == 16 || len == 19)
                || (two >= 51 && two <= 55 || four >= 2221 && four <= 2720) && len == 16
                || (two == 34 || two == 37) && len == 15
                || (four == 6011 || three >= 644 && three <= 649 || two == 65) && len >= 16
                || four >= 3528 && four <= 3589 && len >= 16
                || (three >= 300 && three <= 305 || two == 36 || two == 38 || two == 39) && len >= 14;
    }
}
