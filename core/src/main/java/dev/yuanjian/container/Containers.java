package dev.yuanjian.container;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The containers the product knows, and the choice of one for a file from the signatures they
 * declare ({@link FormatSignature}). The rules, in order:
 * <ol>
 *   <li>A name whose extension a container claims must hold that format: a binary format's magic
 *       (a {@code .pdf} without {@code %PDF-} is refused, not labelled as something else), or for
 *       a text format, bytes that no binary format's magic matches.</li>
 *   <li>Otherwise the first binary container whose magic matches takes the file, whatever its name.</li>
 *   <li>Otherwise a text container that sniffs names without an extension takes such a file when it is
 *       UTF-8 without NUL bytes.</li>
 *   <li>Anything else is {@link UnsupportedFormatException}, listing what is supported.</li>
 * </ol>
 */
public final class Containers {
    private final List<Container> containers;

    public Containers(List<Container> containers) {
        this.containers = List.copyOf(containers);
    }

    public List<Container> all() {
        return containers;
    }

    /**
     * The container for this file.
     *
     * @throws UnsupportedFormatException when no container takes it (the message lists what is supported)
     * @throws FormatException when the name promises a format the bytes are not
     */
    public Container detect(String fileName, byte[] bytes) throws FormatException {
        for (Container c : containers) {
            FormatSignature s = c.signature();
            if (!s.claimsName(fileName)) {
                continue;
            }
            if (s.textual()) {
                Container binary = byMagic(bytes);
                if (binary != null) {
                    throw new FormatException(fileName + " is named as " + s.format() + " but holds a "
                            + binary.format().toUpperCase(Locale.ROOT) + " file; rename it to its real extension");
                }
                return c;
            }
            if (!s.matchesMagic(bytes) || !s.containsRequired(bytes)) {
                throw new FormatException(fileName + " is named " + ext(fileName) + " but is not a "
                        + s.format().toUpperCase(Locale.ROOT) + " file (" + describe(bytes)
                        + "); check that the file was saved or downloaded completely");
            }
            return c;
        }
        Container binary = byMagic(bytes);
        if (binary != null) {
            return binary;
        }
        if (!hasExtension(fileName) && looksLikeText(bytes)) {
            for (Container c : containers) {
                if (c.signature().textual() && c.signature().sniffWithoutExtension()) {
                    return c;
                }
            }
        }
        throw new UnsupportedFormatException("unknown format for " + fileName + " (" + describe(bytes) + "); supported: "
                + containers.stream().flatMap(c -> c.signature().extensions().stream()).collect(Collectors.joining(" ")));
    }

    private Container byMagic(byte[] bytes) {
        for (Container c : containers) {
            FormatSignature s = c.signature();
            if (!s.textual() && s.matchesMagic(bytes) && s.containsRequired(bytes)) {
                return c;
            }
        }
        return null;
    }

    private static boolean hasExtension(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        return base.lastIndexOf('.') > 0;
    }

    private static String ext(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "(no extension)" : fileName.substring(dot);
    }

    /** UTF-8 without NUL in the first 64 KiB; a head cut mid-character is still text. */
    private static boolean looksLikeText(byte[] bytes) {
        byte[] head = bytes.length > 65536 ? java.util.Arrays.copyOf(bytes, 65536) : bytes;
        for (byte x : head) {
            if (x == 0) {
                return false;
            }
        }
        int bad = Bytes.firstInvalidUtf8(head);
        return bad < 0 || (head.length < bytes.length && bad >= head.length - 3);
    }

    static String describe(byte[] bytes) {
        if (bytes.length == 0) {
            return "the file is empty";
        }
        int n = Math.min(bytes.length, 8);
        StringBuilder hex = new StringBuilder("first bytes:");
        for (int i = 0; i < n; i++) {
            hex.append(String.format(" %02X", bytes[i] & 0xff));
        }
        String ascii = new String(bytes, 0, n, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
        return hex.append(" \"").append(ascii).append('"').toString();
    }
}
