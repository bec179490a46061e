package dev.yuanjian.container;

import java.util.List;
import java.util.Locale;

/**
 * How a format is recognised, as data: {@link Containers} sniffs every file against these and no
 * container carries its own if-chain.
 *
 * @param format     short stable name ("pdf")
 * @param mediaType  IANA media type
 * @param extensions lower-case file name endings that promise this format (".pdf")
 * @param magic      byte strings of which one must start within {@code magicWindow} bytes of the
 *                   start; empty for text formats, which have none
 * @param magicWindow how far from the start the magic may begin (0: exactly at offset 0; PDF: 1,024)
 * @param magicAlso  byte strings that must also stand at fixed offsets for the magic to match (WebP:
 *                   {@code WEBP} at offset 8, after {@code RIFF} and the size, so WAV and AVI do not match)
 * @param mustContain byte strings that must occur somewhere in the file (a cheap check that a ZIP is
 *                   a Word document); the container checks the structure for real
 * @param textual    true for formats of UTF-8 text: taken only when no other format's magic matches
 * @param sniffWithoutExtension true when a file whose name has no extension may be taken by its
 *                   content alone (plain text)
 */
public record FormatSignature(String format, String mediaType, List<String> extensions, List<byte[]> magic,
                              int magicWindow, List<At> magicAlso, List<byte[]> mustContain, boolean textual,
                              boolean sniffWithoutExtension) {
    public FormatSignature {
        extensions = extensions.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
        magic = List.copyOf(magic);
        magicAlso = List.copyOf(magicAlso);
        mustContain = List.copyOf(mustContain);
    }

    /** {@code bytes} at {@code offset} from the start of the file. */
    public record At(int offset, byte[] bytes) {
    }

    /** A binary format recognised by magic bytes at offset 0. */
    public static FormatSignature binary(String format, String mediaType, List<String> extensions, byte[]... magic) {
        return new FormatSignature(format, mediaType, extensions, List.of(magic), 0, List.of(), List.of(), false, false);
    }

    /** A text format, recognised by its extensions (and, when asked, by content when a name has none). */
    public static FormatSignature text(String format, String mediaType, List<String> extensions,
                                       boolean sniffWithoutExtension) {
        return new FormatSignature(format, mediaType, extensions, List.of(), 0, List.of(), List.of(), true,
                sniffWithoutExtension);
    }

    public FormatSignature withMagicWindow(int window) {
        return new FormatSignature(format, mediaType, extensions, magic, window, magicAlso, mustContain, textual,
                sniffWithoutExtension);
    }

    /** This signature, whose magic matches only with {@code bytes} also at {@code offset}. */
    public FormatSignature withMagicAt(int offset, byte[] bytes) {
        List<At> also = new java.util.ArrayList<>(magicAlso);
        also.add(new At(offset, bytes.clone()));
        return new FormatSignature(format, mediaType, extensions, magic, magicWindow, also, mustContain, textual,
                sniffWithoutExtension);
    }

    public FormatSignature withMustContain(byte[]... needles) {
        return new FormatSignature(format, mediaType, extensions, magic, magicWindow, magicAlso, List.of(needles), textual,
                sniffWithoutExtension);
    }

    /** True when the file name ends with one of this format's extensions. */
    public boolean claimsName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return extensions.stream().anyMatch(lower::endsWith);
    }

    /** True when {@code bytes} start with this format's magic (always false for text formats). */
    public boolean matchesMagic(byte[] bytes) {
        for (At at : magicAlso) {
            if (at.offset() + at.bytes().length > bytes.length || !regionEquals(bytes, at.offset(), at.bytes())) {
                return false;
            }
        }
        for (byte[] m : magic) {
            int last = Math.min(magicWindow, bytes.length - m.length);
            for (int at = 0; at <= last; at++) {
                if (regionEquals(bytes, at, m)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when every {@link #mustContain} string occurs in {@code bytes}. */
    public boolean containsRequired(byte[] bytes) {
        for (byte[] needle : mustContain) {
            if (Bytes.indexOf(bytes, needle, 0, bytes.length) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean regionEquals(byte[] bytes, int at, byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (bytes[at + i] != m[i]) {
                return false;
            }
        }
        return true;
    }
}
