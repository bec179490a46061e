package dev.yuanjian.container;

/** Reading a JPEG's coefficients in tests: decoded or a failed test, and all of them as one array. */
public final class CoefficientFixtures {
    private CoefficientFixtures() {
    }

    /** {@code jpeg}'s coefficients; fails the test with the reason when the codec does not take it. */
    public static JpegCoefficients decoded(byte[] jpeg) {
        return switch (JpegCoefficients.read(jpeg)) {
            case JpegCoefficients.Decoded d -> d.coefficients();
            case JpegCoefficients.NotHandled n -> throw new AssertionError(n.reason());
        };
    }

    /** Every coefficient of every component, block by block in raster order, zigzag within a block. */
    public static short[] all(JpegCoefficients c) {
        int total = 0;
        for (int i = 0; i < c.componentCount(); i++) {
            total += c.component(i).blocksWide() * c.component(i).blocksHigh() * 64;
        }
        short[] all = new short[total];
        int n = 0;
        for (int i = 0; i < c.componentCount(); i++) {
            JpegCoefficients.Component comp = c.component(i);
            for (int by = 0; by < comp.blocksHigh(); by++) {
                for (int bx = 0; bx < comp.blocksWide(); bx++) {
                    for (int k = 0; k < 64; k++) {
                        all[n++] = (short) comp.get(bx, by, k);
                    }
                }
            }
        }
        return all;
    }
}
