package dev.yuanjian.container;

import java.util.Random;

/** Damaged copies of a good file (flipped, cut, duplicated bytes), and the check that only FormatException comes out. */
public final class Mutations {
    private Mutations() {
    }

    public interface Call {
        Object call() throws FormatException;
    }

    public static void onlyFormatException(Call call, int round) {
        try {
            call.call();
        } catch (FormatException expected) {
            // the only failure allowed
        } catch (RuntimeException | Error e) {
            throw new AssertionError("round " + round + ": " + e, e);
        }
    }

    /** Lengths, sizes and counts that parsers get wrong: zero, one, the sign bit, all ones. */
    private static final long[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fff_ffffL, 0x8000_0000L,
            0xffff_ffffL};

    /**
     * One to three stacked damages of {@link #mutate}'s kinds plus an interesting 1, 2 or 4-byte
     * big-endian number written over a random place, which reaches chunk and segment lengths and image
     * dimensions far more often than random bytes do.
     */
    public static byte[] mutateHarder(byte[] good, Random random) {
        byte[] b = good;
        for (int k = 1 + random.nextInt(3); k > 0 && b.length > 0; k--) {
            if (random.nextInt(3) > 0) {
                b = mutate(b, random);
                continue;
            }
            b = b.clone();
            int width = new int[] {1, 2, 4}[random.nextInt(3)];
            long value = INTERESTING[random.nextInt(INTERESTING.length)];
            if (random.nextBoolean()) {
                value = random.nextBoolean() ? value + 1 : value - 1;
            }
            int at = random.nextInt(Math.max(1, b.length - width + 1));
            for (int i = 0; i < width && at + i < b.length; i++) {
                b[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
            }
        }
        return b;
    }

    public static byte[] mutate(byte[] good, Random random) {
        byte[] b = good.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(b, random.nextInt(b.length));
            }
            default -> {
                int from = random.nextInt(b.length);
                int len = random.nextInt(Math.min(64, b.length - from) + 1);
                int at = random.nextInt(b.length);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, from, out, at, len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
        }
    }
}
