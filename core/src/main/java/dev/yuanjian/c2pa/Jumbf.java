package dev.yuanjian.c2pa;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * JUMBF (ISO/IEC 19566-5) boxes as C2PA uses them (C2PA 2.2, section 11.1.4): a box is
 * {@code LBox} (4 bytes, big-endian, the whole box's length), {@code TBox} (4 ASCII bytes) and its
 * payload; a superbox ({@code jumb}) holds a description box ({@code jumd}: a 16-byte type UUID, a
 * toggles byte, a NUL-terminated label) and then content boxes.
 *
 * <p>Reading is strict: every length must fit its parent, a superbox must start with its
 * description, labels are UTF-8. Extended lengths ({@code LBox == 1}) and to-the-end boxes
 * ({@code LBox == 0}) are accepted only as the producers of C2PA files write them.
 */
final class Jumbf {
    /** Toggles: requestable (0x01) and label present (0x02). */
    private static final int TOGGLES = 0x03;

    private Jumbf() {
    }

    /** A C2PA box type UUID: the 4 ASCII characters {@code tag} followed by the C2PA tail. */
    static UUID c2paType(String tag) {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        long high = ((long) (t[0] & 0xff) << 56) | ((long) (t[1] & 0xff) << 48) | ((long) (t[2] & 0xff) << 40)
                | ((long) (t[3] & 0xff) << 32) | 0x0011_0010L;
        return new UUID(high, 0x8000_00AA_0038_9B71L);
    }

    /** A plain box: length, type, payload. */
    static byte[] box(String type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(payload);
        return b.array();
    }

    /** A superbox of {@code type} labelled {@code label} holding {@code contents} (whole boxes) in order. */
    static byte[] superbox(UUID type, String label, List<byte[]> contents) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(description(type, label));
        contents.forEach(payload::writeBytes);
        return box("jumb", payload.toByteArray());
    }

    private static byte[] description(UUID type, String label) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 1 + l.length + 1);
        b.putLong(type.getMostSignificantBits()).putLong(type.getLeastSignificantBits()).put((byte) TOGGLES).put(l).put((byte) 0);
        return box("jumd", b.array());
    }

    /**
     * One box as read. {@code start} and {@code end} are offsets in the bytes given to {@link #parse};
     * for a superbox {@code label} and {@code uuid} come from its description and {@code children}
     * are its content boxes; for a plain box {@code payload} is its data.
     */
    record Node(String type, int start, int end, int payloadStart, UUID uuid, String label, List<Node> children) {
        Optional<Node> child(String childLabel) {
            return children.stream().filter(c -> childLabel.equals(c.label())).findFirst();
        }

        /** The first plain child box of {@code boxType}, e.g. {@code cbor}. */
        Optional<Node> content(String boxType) {
            return children.stream().filter(c -> c.uuid() == null && c.type().equals(boxType)).findFirst();
        }

        byte[] payload(byte[] all) {
            return Arrays.copyOfRange(all, payloadStart, end);
        }
    }

    /**
     * The single superbox filling {@code b} (a manifest store).
     *
     * @throws IllegalArgumentException saying where the structure breaks
     */
    static Node parse(byte[] b) {
        Node root = parseBox(b, 0, b.length, 0);
        if (root.end() != b.length) {
            throw new IllegalArgumentException("JUMBF: " + (b.length - root.end()) + " bytes after the manifest store box");
        }
        return root;
    }

    private static Node parseBox(byte[] b, int at, int limit, int depth) {
        if (depth > 16) {
            throw new IllegalArgumentException("JUMBF: boxes nested deeper than 16 at offset " + at);
        }
        if (at + 8 > limit) {
            throw new IllegalArgumentException("JUMBF: a box header at offset " + at + " runs past its container");
        }
        long length = ByteBuffer.wrap(b, at, 4).getInt() & 0xffffffffL;
        String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
        int header = 8;
        if (length == 1) {
            if (at + 16 > limit) {
                throw new IllegalArgumentException("JUMBF: an extended box length at offset " + at + " runs past its container");
            }
            length = ByteBuffer.wrap(b, at + 8, 8).getLong();
            header = 16;
        } else if (length == 0) {
            length = limit - at;
        }
        if (length < header || length > limit - at) {
            throw new IllegalArgumentException("JUMBF: box '" + printable(type) + "' at offset " + at + " declares "
                    + length + " bytes, more than its container holds");
        }
        int end = at + (int) length;
        int payload = at + header;
        if (!type.equals("jumb")) {
            return new Node(type, at, end, payload, null, null, List.of());
        }
        Node desc = parseBox(b, payload, end, depth + 1);
        if (!desc.type().equals("jumd") || desc.end() - desc.payloadStart() < 17) {
            throw new IllegalArgumentException("JUMBF: the superbox at offset " + at + " does not start with a description box");
        }
        ByteBuffer d = ByteBuffer.wrap(b, desc.payloadStart(), 16);
        UUID uuid = new UUID(d.getLong(), d.getLong());
        int toggles = b[desc.payloadStart() + 16] & 0xff;
        String label = "";
        if ((toggles & 0x02) != 0) {
            int from = desc.payloadStart() + 17;
            int nul = from;
            while (nul < desc.end() && b[nul] != 0) {
                nul++;
            }
            if (nul == desc.end()) {
                throw new IllegalArgumentException("JUMBF: the label of the superbox at offset " + at + " has no terminating NUL");
            }
            label = new String(b, from, nul - from, StandardCharsets.UTF_8);
        }
        List<Node> children = new ArrayList<>();
        int next = desc.end();
        while (next < end) {
            Node child = parseBox(b, next, end, depth + 1);
            children.add(child);
            next = child.end();
        }
        return new Node(type, at, end, payload, uuid, label, List.copyOf(children));
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? type : "?";
    }
}
