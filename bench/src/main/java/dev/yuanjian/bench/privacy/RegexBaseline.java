package dev.yuanjian.bench.privacy;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer: one {@code java.util.regex} pattern per type as Presidio's recognizers are written (a
 * pattern, a validator for the checksummed types, no context words), run through the same analyzer,
 * so it gets the same normalisation and overlap resolution and differs only in how it finds.
 */
final class RegexBaseline {
    private RegexBaseline() {
    }

    /** A pattern recognizer: every match whose validator passes scores {@code score}. */
    private record PatternRecognizer(EntityType type, Pattern pattern, Predicate<String> valid, double score) implements Recognizer {
        @Override
        public String name() {
            return "regex-" + type.tag().toLowerCase();
        }

        @Override
        public Set<EntityType> types() {
            return Set.of(type);
        }

        @Override
        public void recognize(NormalizedText text, List<Entity> found) {
            Matcher m = pattern.matcher(text.text());
            while (m.find()) {
                if (m.end() > m.start() && valid.test(m.group())) {
                    found.add(new Entity(type, m.start(), m.end(), score, name()));
                }
            }
        }
    }

    static List<Recognizer> recognizers() {
        Predicate<String> any = s -> true;
        return List.of(
                new PatternRecognizer(EntityType.CN_RESIDENT_ID, Pattern.compile("(?<![0-9])[1-9]\\d{16}[0-9Xx](?![0-9A-Za-z])"),
                        s -> Values.idCheck(s.substring(0, 17)) == Character.toUpperCase(s.charAt(17)), 1.0),
                new PatternRecognizer(EntityType.CN_SOCIAL_CREDIT_CODE,
                        Pattern.compile("(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])"),
                        s -> Values.creditCheck(s) == s.charAt(17), 1.0),
                new PatternRecognizer(EntityType.CN_MOBILE,
                        Pattern.compile("(?<![0-9])(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}(?![0-9])"), any, 0.9),
                new PatternRecognizer(EntityType.CN_LANDLINE,
                        Pattern.compile("(?<![0-9])(?:\\(0\\d{2,3}\\) ?|0\\d{2,3}[ -])[2-9]\\d{6,7}(?:-\\d{1,5})?(?![0-9])"), any, 0.8),
                new PatternRecognizer(EntityType.CN_BANK_CARD, Pattern.compile("(?<![0-9])62(?:[ -]?\\d){14,17}(?![0-9])"),
                        s -> Values.luhnValid(s.replaceAll("[ -]", "")), 0.95),
                new PatternRecognizer(EntityType.CREDIT_CARD,
                        Pattern.compile("(?<![0-9])(?:4\\d{3}|5[1-5]\\d{2}|3[47]\\d{2}|35\\d{2}|6011)(?:[ -]?\\d){11,12}(?![0-9])"),
                        s -> Values.luhnValid(s.replaceAll("[ -]", "")), 0.9),
                new PatternRecognizer(EntityType.CN_PASSPORT,
                        Pattern.compile("\\b(?:E[A-HJ-NP-Z]\\d{7}|[EGK]\\d{8}|MA\\d{7})\\b"), any, 0.6),
                new PatternRecognizer(EntityType.CN_LICENSE_PLATE,
                        Pattern.compile("[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]·?[A-HJ-NP-Z0-9]{5,6}(?![0-9A-Za-z])"),
                        any, 0.8),
                new PatternRecognizer(EntityType.EMAIL_ADDRESS,
                        Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), any, 1.0),
                new PatternRecognizer(EntityType.IP_ADDRESS,
                        Pattern.compile("\\b(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\b"
                                + "|(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])"
                                + "|(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){1,6}(?::[0-9A-Fa-f]{1,4}){1,6}(?![0-9A-Fa-f:])"
                                + "|(?<![0-9A-Fa-f:])[0-9A-Fa-f]{1,4}::(?![0-9A-Fa-f:])"), any, 0.9),
                new PatternRecognizer(EntityType.URL_WITH_CREDENTIALS,
                        Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s:@/]+:[^\\s@/]+@[^\\s\"<>\\u4e00-\\u9fff,，。]+"), any, 1.0),
                new PatternRecognizer(EntityType.SECRET, Pattern.compile(
                        "sk-[A-Za-z0-9_-]{20,}|A[KS]IA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\\w{22,}"
                                + "|xox[baprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|eyJ[\\w-]+\\.ey[\\w-]+\\.[\\w-]+"
                                + "|-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"
                                + "|(?<=Bearer )[A-Za-z0-9._~+/-]{16,}=*"), any, 1.0));
    }
}
