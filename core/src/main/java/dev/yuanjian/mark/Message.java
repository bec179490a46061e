package dev.yuanjian.mark;

/** One sentence for a reader, in English and in Chinese; both matter to this product's users. */
public record Message(String en, String zh) {
    public Message {
        java.util.Objects.requireNonNull(en, "en");
        java.util.Objects.requireNonNull(zh, "zh");
    }
}
