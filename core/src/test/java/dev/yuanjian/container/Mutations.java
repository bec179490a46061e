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
