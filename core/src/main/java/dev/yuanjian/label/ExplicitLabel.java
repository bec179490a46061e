package dev.yuanjian.label;

/**
 * The explicit (visible) label of GB 45438-2025 section 5: wording that names both the AI and the
 * generation, placed at the start or the end of the text. The wording is chosen by the language of
 * the text it marks: Chinese text gets {@code chinese}, anything else {@code english}.
 */
public record ExplicitLabel(String chinese, String english, Position position) {

    public enum Position { START, END }

    public static final ExplicitLabel DEFAULT = new ExplicitLabel("本内容由人工智能生成", "AI-generated content", Position.START);

    public ExplicitLabel {
        requireAiAndGeneration(chinese, "人工智能", "AI", "生成", "合成");
        requireAiAndGeneration(english, "AI", "人工智能", "generated", "synthesi");
    }

    private static void requireAiAndGeneration(String wording, String ai, String ai2, String gen, String gen2) {
        if (wording == null || wording.isBlank()) {
            throw new IllegalArgumentException("explicit label wording must not be empty");
        }
        String lower = wording.toLowerCase(java.util.Locale.ROOT);
        boolean hasAi = wording.contains(ai) || wording.contains(ai2) || lower.contains(ai.toLowerCase(java.util.Locale.ROOT));
        boolean hasGeneration = lower.contains(gen) || lower.contains(gen2);
        if (!hasAi || !hasGeneration) {
            throw new IllegalArgumentException("explicit label \"" + wording + "\" must name both the AI (" + ai
                    + ") and the generation (" + gen + "), as GB 45438-2025 section 5 requires");
        }
    }

    /** The wording for a text whose language is told by {@code sample}. */
    public String wordingFor(CharSequence sample) {
        return isMostlyChinese(sample) ? chinese : english;
    }

    /**
     * True when CJK ideographs make up at least a fifth of the letters in the first 4,096
     * characters: mixed Chinese-English prose is still Chinese to its readers.
     */
    static boolean isMostlyChinese(CharSequence sample) {
        int letters = 0;
        int han = 0;
        int limit = Math.min(sample.length(), 4096);
        for (int i = 0; i < limit; i++) {
            char ch = sample.charAt(i);
            if (Character.isLetter(ch)) {
                letters++;
                if (Character.UnicodeScript.of(ch) == Character.UnicodeScript.HAN) {
                    han++;
                }
            }
        }
        return letters > 0 && han * 5 >= letters;
    }

    /** True when {@code text} already carries either wording, so a second copy is never added. */
    public boolean isPresentIn(CharSequence text) {
        String s = text.toString();
        return s.contains(chinese) || s.contains(english);
    }
}
