package dev.yuanjian.ledger;

import dev.yuanjian.store.SigningKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Signed notes (C2SP signed-note, Go's {@code sumdb/note}): a text ending in a newline, a blank
 * line, then one line per signature, {@code — <name> <base64(keyhash || signature)>}, where the
 * dash is an em dash (U+2014) and each Ed25519 signature covers the text including its final
 * newline.
 */
public final class Note {
    private static final String SIGNATURE_PREFIX = "\u2014 ";
    private static final int MAX_SIGNATURES = 100;

    private Note() {
    }

    /** A signature line's parts; {@code base64} is the key hash and signature as written. */
    public record Signature(String name, int keyHash, String base64) {
    }

    /** A note whose text carries at least one signature by a known key. */
    public record Opened(String text, List<Signature> verified, List<Signature> unverified) {
    }

    /**
     * Signs {@code text} with {@code key} under {@code name}.
     *
     * @throws IllegalArgumentException when the text is not valid note text or the name is invalid
     */
    public static String sign(String text, String name, SigningKey key) {
        requireValidText(text);
        NoteVerifier verifier = NoteVerifier.of(name, key);
        byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
        byte[] blob = ByteBuffer.allocate(4 + signature.length).putInt(verifier.keyHash()).put(signature).array();
        return text + "\n" + SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    /**
     * Opens {@code message}: parses it and checks each signature made by one of {@code known}.
     * Signatures by other keys are returned as unverified, as Go's {@code note.Open} does.
     *
     * @throws IllegalArgumentException when the note is malformed, a known key's signature does
     *     not verify, or no known key signed it
     */
    public static Opened open(String message, NoteVerifier... known) {
        if (!message.chars().allMatch(c -> c >= 0x20 || c == '\n')) {
            throw new IllegalArgumentException("malformed note: control characters");
        }
        int split = message.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("malformed note: no blank line before the signatures");
        }
        String text = message.substring(0, split + 1);
        String block = message.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw new IllegalArgumentException("malformed note: signature block must end in a newline");
        }
        List<Signature> verified = new ArrayList<>();
        List<Signature> unverified = new ArrayList<>();
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new IllegalArgumentException("malformed note: more than " + MAX_SIGNATURES + " signatures");
        }
        for (String line : lines) {
            Signature signature = parseSignatureLine(line);
            byte[] blob = Base64.getDecoder().decode(signature.base64());
            NoteVerifier verifier = find(known, signature);
            if (verifier == null) {
                if (!unverified.contains(signature)) {
                    unverified.add(signature);
                }
                continue;
            }
            if (!verifier.verify(text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(blob, 4, blob.length))) {
                throw new IllegalArgumentException("invalid signature for key " + signature.name() + "+"
                        + String.format("%08x", signature.keyHash()));
            }
            if (verified.stream().noneMatch(s -> s.name().equals(signature.name()) && s.keyHash() == signature.keyHash())) {
                verified.add(signature);
            }
        }
        if (verified.isEmpty()) {
            throw new IllegalArgumentException("note has no verifiable signatures");
        }
        return new Opened(text, List.copyOf(verified), List.copyOf(unverified));
    }

    private static Signature parseSignatureLine(String line) {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw new IllegalArgumentException("malformed note: signature line does not start with an em dash");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        String base64 = space < 0 ? "" : rest.substring(space + 1);
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed note: signature is not base64", e);
        }
        if (!NoteVerifier.isValidName(name) || blob.length < 5) {
            throw new IllegalArgumentException("malformed note: bad signature line");
        }
        int keyHash = ByteBuffer.wrap(blob, 0, 4).getInt();
        return new Signature(name, keyHash, base64);
    }

    private static NoteVerifier find(NoteVerifier[] known, Signature signature) {
        for (NoteVerifier verifier : known) {
            if (verifier.name().equals(signature.name()) && verifier.keyHash() == signature.keyHash()) {
                return verifier;
            }
        }
        return null;
    }

    static void requireValidText(String text) {
        if (text.isEmpty() || !text.endsWith("\n") || !text.chars().allMatch(c -> c >= 0x20 || c == '\n')) {
            throw new IllegalArgumentException("note text must end in a newline and hold no control characters");
        }
    }
}
