package dev.yuanjian.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast forward DCT against T.81 A.3.3's formula, and the inverse undoing it. */
class DctTest {
    @Test
    void forwardIsTheFormulaAndInverseUndoesIt() {
        Random random = new Random(3);
        double[] tmp = new double[64];
        for (int round = 0; round < 200; round++) {
            double[] samples = new double[64];
            for (int i = 0; i < 64; i++) {
                samples[i] = random.nextGaussian() * 40;
            }
            double[] fast = samples.clone();
            Dct.forward(fast, tmp);
            for (int v = 0; v < 8; v++) {
                for (int u = 0; u < 8; u++) {
                    double sum = 0;
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            sum += samples[y * 8 + x] * Math.cos((2 * x + 1) * u * Math.PI / 16)
                                    * Math.cos((2 * y + 1) * v * Math.PI / 16);
                        }
                    }
                    double formula = (u == 0 ? Math.sqrt(0.5) : 1) * (v == 0 ? Math.sqrt(0.5) : 1) / 4 * sum;
                    assertThat(fast[v * 8 + u]).as("F(%d,%d)", u, v).isCloseTo(formula, within(1e-9));
                }
            }
            Dct.inverse(fast, tmp, Dct.basis(8), 8);
            for (int i = 0; i < 64; i++) {
                assertThat(fast[i]).isCloseTo(samples[i], within(1e-9));
            }
        }
    }
}
