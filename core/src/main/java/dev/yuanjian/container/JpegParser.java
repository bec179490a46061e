package dev.yuanjian.container;

import dev.yuanjian.container.JpegCoefficients.Colour;
import dev.yuanjian.container.JpegCoefficients.Component;
import dev.yuanjian.container.JpegCoefficients.Scan;
import dev.yuanjian.container.JpegCoefficients.Unhandled;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the segments and scans of a JPEG's first image into {@link JpegCoefficients}: the frame, the
 * quantisation and Huffman tables, and every block's coefficients (T.81 B, F.2.2). What it cannot
 * read exactly is {@link JpegCoefficients.Unhandled} with the reason; see {@link JpegCoefficients}
 * for what is read and the limits on untrusted input.
 */
final class JpegParser {
    final byte[] b;
    int width;
    int height;
    int hmax;
    int vmax;
    int mcusWide;
    int mcusHigh;
    Component[] components;
    final List<int[]> kept = new ArrayList<>();
    final List<Scan> scans = new ArrayList<>();
    int end;
    private final int[][] quant = new int[4][];
    private final JpegHuffman[] dc = new JpegHuffman[4];
    private final JpegHuffman[] ac = new JpegHuffman[4];
    private int restartInterval;
    private boolean jfif;
    private int adobeTransform = -1;

    JpegParser(byte[] b) {
        this.b = b;
    }

    void parse() throws Unhandled {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            throw new Unhandled("not a JPEG (no SOI marker)");
        }
        int at = 2;
        while (true) {
            if (at + 1 >= b.length || (b[at] & 0xff) != 0xFF) {
                throw new Unhandled("no marker at byte " + at + " where a segment should start");
            }
            while (at + 1 < b.length && (b[at + 1] & 0xff) == 0xFF) {
                at++; // fill bytes
            }
            if (at + 1 >= b.length) {
                throw new Unhandled("the file ends before its EOI marker");
            }
            int m = b[at + 1] & 0xff;
            if (m == 0xD9) {
                end = at + 2;
                break;
            }
            if (m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0) {
                throw new Unhandled("a stray marker FF " + Integer.toHexString(m) + " at byte " + at);
            }
            if (at + 4 > b.length) {
                throw new Unhandled("the file ends inside a segment header at byte " + at);
            }
            int length = u16(at + 2);
            int data = at + 4;
            int next = at + 2 + length;
            if (length < 2 || next > b.length) {
                throw new Unhandled("segment FF " + Integer.toHexString(m) + " at byte " + at + " runs past the file");
            }
            at = segment(m, at, data, next);
        }
        if (components == null || scans.isEmpty()) {
            throw new Unhandled("no frame or no scan before EOI");
        }
        for (Component c : components) {
            if (!c.scanned) {
                throw new Unhandled("component " + c.id + " is in no scan");
            }
        }
    }

    /** Handles one segment; returns where the next marker starts. */
    private int segment(int m, int start, int data, int next) throws Unhandled {
        boolean header = scans.isEmpty();
        switch (m) {
            case 0xC0, 0xC1 -> frame(data, next);
            case 0xC2, 0xC6, 0xCA, 0xCE -> throw new Unhandled("a progressive JPEG");
            case 0xC3, 0xC7, 0xCB, 0xCF -> throw new Unhandled("a lossless JPEG");
            case 0xC5 -> throw new Unhandled("a hierarchical JPEG");
            case 0xC9, 0xCD, 0xCC -> throw new Unhandled("an arithmetic-coded JPEG");
            case 0xC4 -> huffman(data, next);
            case 0xDD -> {
                if (next - data != 2) {
                    throw new Unhandled("a DRI segment of the wrong length at byte " + start);
                }
                restartInterval = u16(data);
            }
            case 0xDA -> {
                return scan(data, next);
            }
            case 0xDB -> {
                if (!header) {
                    throw new Unhandled("quantisation tables between scans");
                }
                quantisation(data, next);
            }
            case 0xDC -> throw new Unhandled("a DNL marker (height given after the data)");
            case 0xDE, 0xDF -> throw new Unhandled("a hierarchical JPEG");
            default -> {
                if (!header) {
                    throw new Unhandled("a segment between scans (FF " + Integer.toHexString(m) + ")");
                }
                if (m == 0xE0 && next - data >= 5 && ascii(data, "JFIF\0")) {
                    jfif = true;
                }
                if (m == 0xEE && next - data >= 12 && ascii(data, "Adobe")) {
                    adobeTransform = b[data + 11] & 0xff;
                }
            }
        }
        if (header && m != 0xC4 && m != 0xDD) {
            kept.add(new int[] {start, next});
        }
        return next;
    }

    private void frame(int data, int next) throws Unhandled {
        if (components != null) {
            throw new Unhandled("a second frame header");
        }
        if (next - data < 6) {
            throw new Unhandled("a frame header too short");
        }
        if ((b[data] & 0xff) != 8) {
            throw new Unhandled("a " + (b[data] & 0xff) + "-bit JPEG");
        }
        height = u16(data + 1);
        width = u16(data + 3);
        int n = b[data + 5] & 0xff;
        if (height == 0) {
            throw new Unhandled("a DNL marker (height given after the data)");
        }
        if (width == 0 || n < 1 || n > 4 || next - data != 6 + 3 * n) {
            throw new Unhandled("a damaged frame header (" + width + " x " + height + ", " + n + " components)");
        }
        if ((long) width * height > ImagePixels.MAX_PIXELS) {
            throw new Unhandled(width + " x " + height + " is more than " + ImagePixels.MAX_PIXELS + " pixels");
        }
        int[][] spec = new int[n][];
        for (int i = 0; i < n; i++) {
            int p = data + 6 + 3 * i;
            int id = b[p] & 0xff;
            int h = (b[p + 1] & 0xff) >> 4;
            int v = b[p + 1] & 0x0f;
            int t = b[p + 2] & 0xff;
            if (h < 1 || h > 4 || v < 1 || v > 4 || t > 3) {
                throw new Unhandled("component " + id + " has sampling " + h + "x" + v + " or table " + t);
            }
            for (int j = 0; j < i; j++) {
                if (spec[j][0] == id) {
                    throw new Unhandled("two components with id " + id);
                }
            }
            spec[i] = new int[] {id, h, v, t};
            hmax = Math.max(hmax, h);
            vmax = Math.max(vmax, v);
        }
        mcusWide = JpegCoefficients.ceil(width, 8 * hmax);
        mcusHigh = JpegCoefficients.ceil(height, 8 * vmax);
        long blocks = 0;
        for (int[] s : spec) {
            blocks += (long) mcusWide * s[1] * mcusHigh * s[2];
        }
        // An optimal table codes an empty block in 2 bits: more blocks than 4 per byte of file is no real JPEG.
        if (blocks > 4L * b.length || blocks * 64 > 3 * ImagePixels.MAX_PIXELS) {
            throw new Unhandled("the frame claims " + blocks + " blocks, more than the file's " + b.length
                    + " bytes could code");
        }
        components = new Component[n];
        for (int i = 0; i < n; i++) {
            int[] s = spec[i];
            int codedWide = JpegCoefficients.ceil(JpegCoefficients.ceil(width * s[1], hmax), 8);
            int codedHigh = JpegCoefficients.ceil(JpegCoefficients.ceil(height * s[2], vmax), 8);
            components[i] = new Component(s[0], s[1], s[2], s[3], mcusWide * s[1], mcusHigh * s[2], codedWide, codedHigh);
        }
    }

    private void quantisation(int at, int next) throws Unhandled {
        while (at < next) {
            int pq = (b[at] & 0xff) >> 4;
            int tq = b[at] & 0x0f;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || at + 1 + size > next) {
                throw new Unhandled("a damaged quantisation table segment");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[JpegCoefficients.NATURAL[k]] = pq == 0 ? b[at + 1 + k] & 0xff : u16(at + 1 + 2 * k);
            }
            quant[tq] = table;
            at += 1 + size;
        }
    }

    private void huffman(int at, int next) throws Unhandled {
        while (at < next) {
            if (at + 17 > next) {
                throw new Unhandled("a damaged Huffman table segment");
            }
            int tc = (b[at] & 0xff) >> 4;
            int th = b[at] & 0x0f;
            int[] bits = new int[17];
            int total = 0;
            for (int len = 1; len <= 16; len++) {
                bits[len] = b[at + len] & 0xff;
                total += bits[len];
            }
            if (tc > 1 || th > 3 || total > 256 || at + 17 + total > next) {
                throw new Unhandled("a damaged Huffman table segment");
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = b[at + 17 + i] & 0xff;
            }
            (tc == 0 ? dc : ac)[th] = new JpegHuffman(bits, values);
            at += 17 + total;
        }
    }

    private int scan(int data, int next) throws Unhandled {
        if (components == null) {
            throw new Unhandled("a scan before the frame header");
        }
        int ns = b[data] & 0xff;
        if (ns < 1 || ns > 4 || next - data != 4 + 2 * ns) {
            throw new Unhandled("a damaged scan header");
        }
        int[] at = new int[ns];
        JpegHuffman[] dcs = new JpegHuffman[ns];
        JpegHuffman[] acs = new JpegHuffman[ns];
        int blocks = 0;
        for (int i = 0; i < ns; i++) {
            int id = b[data + 1 + 2 * i] & 0xff;
            int td = (b[data + 2 + 2 * i] & 0xff) >> 4;
            int ta = b[data + 2 + 2 * i] & 0x0f;
            at[i] = -1;
            for (int c = 0; c < components.length; c++) {
                if (components[c].id == id) {
                    at[i] = c;
                }
            }
            if (at[i] < 0 || components[at[i]].scanned || td > 3 || ta > 3 || dc[td] == null || ac[ta] == null) {
                throw new Unhandled("a scan of an unknown or repeated component, or with undefined tables");
            }
            Component c = components[at[i]];
            if (quant[c.table] == null) {
                throw new Unhandled("component " + c.id + " uses an undefined quantisation table");
            }
            for (int q : quant[c.table]) {
                if (q == 0) {
                    // T.81 B.2.4.1 allows 1..255; a zero would divide a change by nothing.
                    throw new Unhandled("a zero in quantisation table " + c.table);
                }
            }
            c.quantisation = quant[c.table].clone();
            c.scanned = true;
            dcs[i] = dc[td];
            acs[i] = ac[ta];
            blocks += c.h * c.v;
        }
        int ss = b[next - 3] & 0xff;
        int se = b[next - 2] & 0xff;
        int a = b[next - 1] & 0xff;
        if (ss != 0 || se != 63 || a != 0) {
            throw new Unhandled("a scan that is not sequential (spectral selection or approximation)");
        }
        if (ns > 1 && blocks > 10) {
            throw new Unhandled("an interleaved scan of more than 10 blocks per MCU");
        }
        Scan scan = new Scan(at, restartInterval);
        scans.add(scan);
        return decode(scan, next, dcs, acs);
    }

    /** Decodes one scan's data starting at {@code from}; returns where the marker after it starts. */
    private int decode(Scan scan, int from, JpegHuffman[] dcs, JpegHuffman[] acs) throws Unhandled {
        JpegBits.Reader in = new JpegBits.Reader(b, from);
        int[] at = scan.components();
        int[] pred = new int[at.length];
        Component single = at.length == 1 ? components[at[0]] : null;
        int wide = single == null ? mcusWide : single.codedWide;
        int count = single == null ? mcusWide * mcusHigh : single.codedWide * single.codedHigh;
        int restarts = 0;
        for (int unit = 0; unit < count; unit++) {
            if (scan.restartInterval() > 0 && unit > 0 && unit % scan.restartInterval() == 0) {
                in.restart(restarts++ & 7);
                java.util.Arrays.fill(pred, 0);
            }
            for (int i = 0; i < at.length; i++) {
                Component c = components[at[i]];
                if (single != null) {
                    pred[i] = block(in, c, unit % wide, unit / wide, pred[i], dcs[i], acs[i]);
                    continue;
                }
                int mx = unit % mcusWide;
                int my = unit / mcusWide;
                for (int y = 0; y < c.v; y++) {
                    for (int x = 0; x < c.h; x++) {
                        pred[i] = block(in, c, mx * c.h + x, my * c.v + y, pred[i], dcs[i], acs[i]);
                    }
                }
            }
        }
        return in.nextMarker();
    }

    private static int block(JpegBits.Reader in, Component c, int bx, int by, int pred, JpegHuffman dc, JpegHuffman ac)
            throws Unhandled {
        short[] q = c.coefficients;
        int base = (by * c.blocksWide + bx) * 64;
        int s = dc.decode(in);
        if (s > 11) {
            throw new Unhandled("a DC difference of category " + s);
        }
        int value = pred + extend(in.receive(s), s);
        if (value < -1024 || value > 1023) {
            throw new Unhandled("a DC coefficient outside the 8-bit range");
        }
        q[base] = (short) value;
        for (int k = 1; k < 64; k++) {
            int rs = ac.decode(in);
            int r = rs >> 4;
            int size = rs & 15;
            if (size == 0) {
                if (r != 15) {
                    break;
                }
                k += 15;
                continue;
            }
            k += r;
            if (k > 63 || size > 10) {
                throw new Unhandled("an AC coefficient past the end of its block");
            }
            q[base + JpegCoefficients.NATURAL[k]] = (short) extend(in.receive(size), size);
        }
        return value;
    }

    private static int extend(int v, int s) {
        return s == 0 ? 0 : v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
    }

    Colour colour() {
        if (components.length == 1) {
            return Colour.GREY;
        }
        if (components.length != 3) {
            return Colour.OTHER;
        }
        if (jfif) {
            return Colour.YCBCR;
        }
        if (adobeTransform == 0) {
            return Colour.OTHER;
        }
        boolean rgb = components[0].id == 'R' && components[1].id == 'G' && components[2].id == 'B';
        return rgb && adobeTransform < 0 ? Colour.OTHER : Colour.YCBCR;
    }

    private boolean ascii(int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int u16(int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
