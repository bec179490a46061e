package dev.yuanjian.watermark;

/**
 * The rate-1/3 convolutional code of constraint length 7 with generators 133, 171 and 165 (octal),
 * the code of 3GPP TS 36.212 section 5.1.3.1, zero-terminated (six tail bits), and its
 * soft-decision Viterbi decoder. Soft decoding is why it is used here rather than a block code:
 * the watermark detector measures how strongly each coded bit was read, and the decoder weighs
 * strong readings over weak ones, which corrects about twice the errors a hard-decision BCH code
 * of the same rate does at the bit error rates an attacked image gives.
 */
final class ConvolutionalCode {
    private static final int[] GENERATORS = {0133, 0171, 0165};
    private static final int MEMORY = 6;
    private static final int STATES = 1 << MEMORY;

    private ConvolutionalCode() {
    }

    /** The number of coded bits for {@code infoBits} information bits (tail included). */
    static int codedLength(int infoBits) {
        return (infoBits + MEMORY) * GENERATORS.length;
    }

    /** {@code info} (0 or 1 each) encoded, tail included: {@link #codedLength} bits of 0 or 1. */
    static byte[] encode(byte[] info) {
        byte[] coded = new byte[codedLength(info.length)];
        int register = 0;
        int out = 0;
        for (int i = 0; i < info.length + MEMORY; i++) {
            int bit = i < info.length ? info[i] : 0;
            register = ((register << 1) | bit) & 0x7f;
            for (int g : GENERATORS) {
                coded[out++] = (byte) (Integer.bitCount(register & g) & 1);
            }
        }
        return coded;
    }

    /**
     * The most likely information bits given soft readings of the coded bits: positive means 1,
     * negative 0, larger magnitude more certain.
     *
     * @param soft {@link #codedLength}({@code infoBits}) readings
     */
    static byte[] decode(double[] soft, int infoBits) {
        int steps = infoBits + MEMORY;
        if (soft.length != steps * GENERATORS.length) {
            throw new IllegalArgumentException("expected " + steps * GENERATORS.length + " soft bits, got " + soft.length);
        }
        double[] metric = new double[STATES];
        double[] next = new double[STATES];
        java.util.Arrays.fill(metric, Double.NEGATIVE_INFINITY);
        metric[0] = 0;
        // survivor[step][state] = the input bit that led into state, and which predecessor
        byte[][] fromHigh = new byte[steps][STATES];
        for (int step = 0; step < steps; step++) {
            java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
            int base = step * GENERATORS.length;
            int maxInput = step < infoBits ? 1 : 0;
            for (int state = 0; state < STATES; state++) {
                if (metric[state] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int bit = 0; bit <= maxInput; bit++) {
                    int register = ((state << 1) | bit) & 0x7f;
                    double branch = 0;
                    for (int g = 0; g < GENERATORS.length; g++) {
                        int c = Integer.bitCount(register & GENERATORS[g]) & 1;
                        branch += c == 1 ? soft[base + g] : -soft[base + g];
                    }
                    int to = register & (STATES - 1);
                    double candidate = metric[state] + branch;
                    if (candidate > next[to]) {
                        next[to] = candidate;
                        // the bit leaving the register tells which of the two predecessors it was
                        fromHigh[step][to] = (byte) (state >>> (MEMORY - 1));
                    }
                }
            }
            double[] swap = metric;
            metric = next;
            next = swap;
        }
        byte[] info = new byte[infoBits];
        int state = 0;
        for (int step = steps - 1; step >= 0; step--) {
            int bit = state & 1;
            if (step < infoBits) {
                info[step] = (byte) bit;
            }
            state = (state >>> 1) | (fromHigh[step][state] << (MEMORY - 1));
        }
        return info;
    }
}
