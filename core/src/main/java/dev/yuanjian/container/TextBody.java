package dev.yuanjian.container;

import java.util.List;

/**
 * The body text of a format made of text (Markdown, plain text, DOCX): what a reader sees, and a
 * paragraph added at its start or end. Metadata (front matter, properties) is not part of it.
 */
public interface TextBody {

    enum Edge { START, END }

    /**
     * The visible text, at most {@code maxChars} characters from the start; enough to tell its
     * language and to find a line of text in it.
     */
    String visibleText(Asset asset, int maxChars) throws FormatException;

    /**
     * True when any of {@code texts} occurs anywhere in the visible text (not only the first
     * characters). One call reads the body once, however many texts are asked for.
     */
    boolean containsAny(Asset asset, List<String> texts) throws FormatException;

    /**
     * The file with {@code text} as a paragraph of its own at the start or the end of the body,
     * in the file's own line endings and styles; every other byte kept.
     */
    Asset insertParagraph(Asset asset, String text, Edge edge) throws FormatException;
}
