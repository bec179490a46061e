package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A ZIP archive read from its central directory, whose untouched entries are written back as the
 * very bytes they were (local header, compressed data, data descriptor): java.util.zip's streams
 * can only re-compress, which would change every entry of a document to add one property.
 * Entries are inflated only when asked for, with a cap on the total.
 *
 * <p>Scope: what OOXML packages use. STORED and DEFLATED entries, no encryption, no ZIP64 (a
 * document over 4 GB is refused), one disk.
 */
final class ZipArchive {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    /** 1980-01-01 00:00 in DOS form: entries this class creates carry it, so output depends on input only. */
    private static final int FIXED_DOS_DATE = (0 << 9) | (1 << 5) | 1;
    private static final int MAX_ENTRIES = 10_000;

    private final String where;
    private final byte[] source;
    private final byte[] comment;
    private final long maxUncompressed;
    private long inflated;
    final List<Entry> entries;

    /** One entry; {@code content} is filled on demand, or set when the entry is changed or new. */
    static final class Entry {
        final String name;
        private final int localStart;
        private final int localEnd;
        private final int centralStart;
        private final int centralEnd;
        private final int method;
        private final int flags;
        private final int dosTime;
        private final int dosDate;
        private final long crc;
        private final long compressedSize;
        private final long size;
        private final int dataStart;
        private byte[] content;
        private boolean changed;

        private Entry(String name, int localStart, int localEnd, int centralStart, int centralEnd, int method,
                      int flags, int dosTime, int dosDate, long crc, long compressedSize, long size, int dataStart) {
            this.name = name;
            this.localStart = localStart;
            this.localEnd = localEnd;
            this.centralStart = centralStart;
            this.centralEnd = centralEnd;
            this.method = method;
            this.flags = flags;
            this.dosTime = dosTime;
            this.dosDate = dosDate;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.dataStart = dataStart;
        }

        boolean isNew() {
            return localStart < 0;
        }
    }

    private ZipArchive(String where, byte[] source, byte[] comment, long maxUncompressed, List<Entry> entries) {
        this.where = where;
        this.source = source;
        this.comment = comment;
        this.maxUncompressed = maxUncompressed;
        this.entries = entries;
    }

    /**
     * Reads the central directory and checks every entry's local header against it.
     *
     * @throws FormatException for anything but a plain, complete, unencrypted ZIP whose entry
     *     names are safe to unpack and whose declared sizes stay under {@code maxUncompressed}
     */
    static ZipArchive read(byte[] b, String where, long maxUncompressed) throws FormatException {
        int eocd = -1;
        for (int i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
            if (u32(b, i) == END && i + 22 + u16(b, i + 20) == b.length) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw corrupt(where, "no end-of-central-directory record: the file is truncated or not a ZIP archive");
        }
        int count = u16(b, eocd + 10);
        long cdSize = u32(b, eocd + 12);
        long cdOffset = u32(b, eocd + 16);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            throw new FormatException(where + " is a ZIP64 archive; documents over 4 GB or 65,535 parts are not "
                    + "supported");
        }
        if (u16(b, eocd + 4) != 0 || u16(b, eocd + 6) != 0 || u16(b, eocd + 8) != count) {
            throw corrupt(where, "a multi-disk archive");
        }
        if (count > MAX_ENTRIES) {
            throw new FormatException(where + " has " + count + " entries; a Word document never has more than "
                    + MAX_ENTRIES + ", so it is refused");
        }
        if (cdOffset + cdSize > eocd) {
            throw corrupt(where, "the central directory lies outside the file");
        }
        byte[] comment = java.util.Arrays.copyOfRange(b, eocd + 22, b.length);
        List<Entry> entries = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        long declared = 0;
        int at = (int) cdOffset;
        for (int k = 0; k < count; k++) {
            if (at + 46 > eocd || u32(b, at) != CENTRAL) {
                throw corrupt(where, "central directory record " + (k + 1) + " of " + count + " is damaged");
            }
            int flags = u16(b, at + 8);
            int method = u16(b, at + 10);
            int dosTime = u16(b, at + 12);
            int dosDate = u16(b, at + 14);
            long crc = u32(b, at + 16);
            long csize = u32(b, at + 20);
            long size = u32(b, at + 24);
            int nameLength = u16(b, at + 28);
            int centralEnd = at + 46 + nameLength + u16(b, at + 30) + u16(b, at + 32);
            long localOffset = u32(b, at + 42);
            if (centralEnd > eocd) {
                throw corrupt(where, "central directory record " + (k + 1) + " runs past the directory");
            }
            String name = new String(b, at + 46, nameLength, StandardCharsets.UTF_8);
            checkName(name, where);
            if (!names.add(name)) {
                throw corrupt(where, "the entry " + name + " appears twice");
            }
            if ((flags & 1) != 0) {
                throw new FormatException(where + ": the entry " + name + " is encrypted; save the document "
                        + "without a password and try again");
            }
            if (method != 0 && method != 8) {
                throw new FormatException(where + ": the entry " + name + " uses compression method " + method
                        + "; only stored and deflated entries are supported (save it again from Word)");
            }
            if (csize == 0xffffffffL || size == 0xffffffffL || localOffset == 0xffffffffL) {
                throw new FormatException(where + " uses ZIP64 entries; documents over 4 GB are not supported");
            }
            declared += size;
            if (declared > maxUncompressed) {
                throw bomb(where, maxUncompressed);
            }
            if (localOffset + 30 > cdOffset || u32(b, (int) localOffset) != LOCAL) {
                throw corrupt(where, "the local header of " + name + " is missing");
            }
            int local = (int) localOffset;
            int localNameLength = u16(b, local + 26);
            int dataStart = local + 30 + localNameLength + u16(b, local + 28);
            if (dataStart > cdOffset || localNameLength != nameLength || !java.util.Arrays.equals(b, local + 30, local + 30 + nameLength,
                    b, at + 46, at + 46 + nameLength)) {
                throw corrupt(where, "the local header of " + name + " names another entry");
            }
            long localEnd = dataStart + csize;
            if ((flags & 8) != 0) {
                localEnd += (localEnd + 4 <= cdOffset && u32(b, (int) localEnd) == DESCRIPTOR) ? 16 : 12;
            }
            if (localEnd > cdOffset) {
                throw corrupt(where, "the data of " + name + " runs into the central directory");
            }
            entries.add(new Entry(name, local, (int) localEnd, at, centralEnd, method, flags, dosTime, dosDate,
                    crc, csize, size, dataStart));
            at = centralEnd;
        }
        return new ZipArchive(where, b, comment, maxUncompressed, entries);
    }

    Entry find(String name) {
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The entry's local record as stored (header, data, descriptor); empty for a new entry. */
    byte[] rawRecord(Entry e) {
        return e.isNew() ? new byte[0] : java.util.Arrays.copyOfRange(source, e.localStart, e.localEnd);
    }

    /** The entry's uncompressed bytes, inflated once and checked against its CRC-32. */
    byte[] content(Entry e) throws FormatException {
        if (e.content != null) {
            return e.content;
        }
        byte[] out;
        if (e.method == 0) {
            if (e.compressedSize != e.size) {
                throw corrupt(where, "the stored entry " + e.name + " has two different sizes");
            }
            out = java.util.Arrays.copyOfRange(source, e.dataStart, e.dataStart + (int) e.size);
        } else {
            out = new byte[(int) e.size];
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(source, e.dataStart, (int) e.compressedSize);
                int n = 0;
                while (n < out.length) {
                    int r = inflater.inflate(out, n, out.length - n);
                    if (r == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += r;
                }
                // One more byte would mean the data is longer than declared: a lie, or a bomb.
                if (n != out.length || (!inflater.finished() && inflater.inflate(new byte[1]) > 0)) {
                    throw corrupt(where, "the entry " + e.name + " does not inflate to its declared " + e.size + " bytes");
                }
            } catch (DataFormatException ex) {
                throw corrupt(where, "the entry " + e.name + " is not valid deflate data (" + ex.getMessage() + ")");
            } finally {
                inflater.end();
            }
        }
        inflated += out.length;
        if (inflated > maxUncompressed) {
            throw bomb(where, maxUncompressed);
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc) {
            throw corrupt(where, "the entry " + e.name + " fails its CRC-32 check");
        }
        e.content = out;
        return out;
    }

    /** Replaces the content of {@code e}; it will be deflated on {@link #write}. */
    void replace(Entry e, byte[] content) {
        e.content = content;
        e.changed = true;
    }

    /** Appends a new entry (deflated, fixed time) at the end of the archive. */
    Entry add(String name, byte[] content) {
        Entry e = new Entry(name, -1, -1, -1, -1, 8, 0, 0, FIXED_DOS_DATE, 0, 0, content.length, -1);
        e.content = content;
        e.changed = true;
        entries.add(e);
        return e;
    }

    /**
     * The archive with untouched entries copied byte for byte (local record and central record,
     * only the offset patched) and changed or new entries deflated. Depends on input only.
     */
    byte[] write() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.length + 4096);
        ByteArrayOutputStream central = new ByteArrayOutputStream(entries.size() * 96);
        for (Entry e : entries) {
            int offset = out.size();
            if (!e.changed) {
                out.write(source, e.localStart, e.localEnd - e.localStart);
                byte[] record = java.util.Arrays.copyOfRange(source, e.centralStart, e.centralEnd);
                put32(record, 42, offset);
                central.writeBytes(record);
                continue;
            }
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            byte[] data = deflate(e.content);
            CRC32 crc = new CRC32();
            crc.update(e.content);
            int flags = isAscii(name) ? 0 : 0x800; // bit 11: the name is UTF-8
            byte[] local = new byte[30];
            put32(local, 0, LOCAL);
            put16(local, 4, 20);
            put16(local, 6, flags);
            put16(local, 8, 8);
            put16(local, 10, e.dosTime);
            put16(local, 12, e.dosDate);
            put32(local, 14, crc.getValue());
            put32(local, 18, data.length);
            put32(local, 22, e.content.length);
            put16(local, 26, name.length);
            out.writeBytes(local);
            out.writeBytes(name);
            out.writeBytes(data);
            byte[] record = new byte[46];
            put32(record, 0, CENTRAL);
            put16(record, 4, 20);
            put16(record, 6, 20);
            put16(record, 8, flags);
            put16(record, 10, 8);
            put16(record, 12, e.dosTime);
            put16(record, 14, e.dosDate);
            put32(record, 16, crc.getValue());
            put32(record, 20, data.length);
            put32(record, 24, e.content.length);
            put16(record, 28, name.length);
            put32(record, 42, offset);
            central.writeBytes(record);
            central.writeBytes(name);
        }
        int cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        byte[] end = new byte[22];
        put32(end, 0, END);
        put16(end, 8, entries.size());
        put16(end, 10, entries.size());
        put32(end, 12, central.size());
        put32(end, 16, cdOffset);
        put16(end, 20, comment.length);
        out.writeBytes(end);
        out.writeBytes(comment);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Refuses names that could escape a folder when someone later unpacks the archive. */
    static void checkName(String name, String where) throws FormatException {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || (name.length() > 1 && name.charAt(1) == ':');
        for (String segment : name.split("/", -1)) {
            bad |= segment.equals("..");
        }
        if (bad) {
            throw new FormatException(where + " has an unsafe entry name \"" + name
                    + "\" (absolute, drive letter, backslash or '..'); a genuine DOCX never has one, so it is refused");
        }
    }

    private static FormatException corrupt(String where, String what) {
        return new FormatException(where + " is a corrupt or truncated ZIP archive: " + what
                + "; get a fresh copy of the document");
    }

    private static FormatException bomb(String where, long max) {
        // The limit protects the service, so it is not the user's to raise: what a user can change is the document.
        String limit = max % (1024 * 1024) == 0 ? (max / (1024 * 1024)) + " MiB" : max + " bytes";
        return new FormatException(where + " expands to more than " + limit + " when unzipped, the most a DOCX may "
                + "(a zip bomb?); if the document is genuine, make it smaller (in Word: compress its pictures, or remove "
                + "embedded videos and fonts) or split it into several documents, then label it again");
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v & 0xffff));
        put16(b, at + 2, (int) ((v >>> 16) & 0xffff));
    }
}
