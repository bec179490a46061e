package dev.yuanjian.container;

/**
 * Huffman tables of baseline JPEG (ITU-T T.81 Annex C, F.2.2.3, K.2): one table as its code
 * lengths ({@code bits}, 16 counts) and symbols in code order ({@code values}), decoded through a
 * 9-bit lookup, encoded through a code per symbol, or built optimally from symbol counts.
 */
final class JpegHuffman {
    private static final int FAST = 9;

    final int[] bits;
    final int[] values;
    // decoding
    private final int[] fast = new int[1 << FAST];
    private final int[] maxCode = new int[18];
    private final int[] minCode = new int[17];
    private final int[] valPtr = new int[17];
    // encoding
    final int[] code = new int[256];
    final int[] size = new int[256];

    /**
     * @param bits   how many codes of each length 1..16 (index 0 unused)
     * @param values the symbols in code order
     * @throws JpegCoefficients.Unhandled when the lengths over-fill the code space (T.81 C: codes must fit)
     */
    JpegHuffman(int[] bits, int[] values) throws JpegCoefficients.Unhandled {
        this.bits = bits;
        this.values = values;
        int c = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            valPtr[len] = k;
            minCode[len] = c;
            for (int i = 0; i < bits[len]; i++, k++, c++) {
                if (c >= 1 << len) {
                    throw new JpegCoefficients.Unhandled("a Huffman table has more codes of " + len + " bits than fit");
                }
                int symbol = values[k];
                if (code[symbol] == 0 && size[symbol] == 0) {
                    code[symbol] = c;
                    size[symbol] = len;
                }
                if (len <= FAST) {
                    int shift = FAST - len;
                    for (int f = c << shift; f < (c + 1) << shift; f++) {
                        fast[f] = (len << 8) | symbol;
                    }
                }
            }
            maxCode[len] = bits[len] == 0 ? -1 : c - 1;
            c <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE;
    }

    /** The next symbol from {@code in}. */
    int decode(JpegBits.Reader in) throws JpegCoefficients.Unhandled {
        in.fill();
        int e = fast[in.peek(FAST)];
        if (e != 0) {
            in.skip(e >>> 8);
            return e & 0xff;
        }
        int sixteen = in.peek(16);
        for (int len = FAST + 1; len <= 16; len++) {
            int c = sixteen >>> (16 - len);
            if (c <= maxCode[len] && bits[len] > 0) {
                in.skip(len);
                return values[valPtr[len] + c - minCode[len]];
            }
        }
        throw new JpegCoefficients.Unhandled("the image data holds a code its Huffman table does not define");
    }

    /**
     * The optimal table for symbol counts {@code freq} (256 symbols), codes at most 16 bits and
     * none of all ones (T.81 K.2, K.3: a reserved symbol of count 1 takes the all-ones code).
     */
    static JpegHuffman optimal(long[] counts) {
        long[] freq = new long[257];
        System.arraycopy(counts, 0, freq, 0, 256);
        freq[256] = 1;
        int[] codeSize = new int[257];
        int[] others = new int[257];
        java.util.Arrays.fill(others, -1);
        while (true) {
            int v1 = -1;
            for (int i = 0; i <= 256; i++) {
                if (freq[i] > 0 && (v1 < 0 || freq[i] <= freq[v1])) {
                    v1 = i;
                }
            }
            int v2 = -1;
            for (int i = 0; i <= 256; i++) {
                if (i != v1 && freq[i] > 0 && (v2 < 0 || freq[i] <= freq[v2])) {
                    v2 = i;
                }
            }
            if (v2 < 0) {
                break;
            }
            freq[v1] += freq[v2];
            freq[v2] = 0;
            codeSize[v1]++;
            while (others[v1] >= 0) {
                v1 = others[v1];
                codeSize[v1]++;
            }
            others[v1] = v2;
            codeSize[v2]++;
            while (others[v2] >= 0) {
                v2 = others[v2];
                codeSize[v2]++;
            }
        }
        int[] lengths = new int[33];
        for (int i = 0; i <= 256; i++) {
            if (codeSize[i] > 0) {
                lengths[codeSize[i]]++;
            }
        }
        for (int i = 32; i > 16; i--) {
            while (lengths[i] > 0) {
                int j = i - 2;
                while (lengths[j] == 0) {
                    j--;
                }
                lengths[i] -= 2;
                lengths[i - 1]++;
                lengths[j + 1] += 2;
                lengths[j]--;
            }
        }
        int longest = 16;
        while (lengths[longest] == 0) {
            longest--;
        }
        lengths[longest]--; // the reserved symbol
        int n = 0;
        for (int len = 1; len <= 16; len++) {
            n += lengths[len];
        }
        int[] values = new int[n];
        int k = 0;
        for (int len = 1; len <= 32 && k < n; len++) {
            for (int s = 0; s < 256 && k < n; s++) {
                if (codeSize[s] == len) {
                    values[k++] = s;
                }
            }
        }
        int[] bits = new int[17];
        System.arraycopy(lengths, 1, bits, 1, 16);
        try {
            return new JpegHuffman(bits, values);
        } catch (JpegCoefficients.Unhandled impossible) {
            throw new IllegalStateException("an optimal Huffman table over-fills its code space", impossible);
        }
    }
}
