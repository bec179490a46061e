package dev.yuanjian.watermark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.pipeline.ContentIds;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PayloadAndCodeTest {

    @Test
    void aPayloadNamesExactlyTheContentIdsThatCarryIt() {
        Instant made = Instant.parse("2026-12-01T02:00:00.123Z");
        ContentIds ids = new ContentIds(Clock.fixed(made, ZoneOffset.UTC), new SecureRandom());
        for (int i = 0; i < 200; i++) {
            String id = ids.next();
            Payload payload = Payload.of(id);
            assertThat(payload.names(id)).isTrue();
            assertThat(payload.millis()).isEqualTo(made.toEpochMilli());
            assertThat(id.compareTo(payload.contentIdsFrom())).isGreaterThanOrEqualTo(0);
            assertThat(id.compareTo(payload.contentIdsTo())).isLessThan(0);
            assertThat(payload.contentIdsFrom()).matches("[0-9A-HJKMNP-TV-Z]{26}");
            // the next payload's ids start where this one's end
            assertThat(new Payload(payload.bits() + 1).contentIdsFrom()).isEqualTo(payload.contentIdsTo());
        }
        assertThat(new Payload(-1L).contentIdsTo()).isEqualTo("04000000000000000000000000");
        assertThatThrownBy(() -> Payload.of("not an id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payload.of("0123456789ABCDEFGHJKMNPQRU")).hasMessageContaining("'U'");
    }

    @Test
    void theCodeCorrectsScatteredErrorsAndTheCheckRefusesNoise() {
        Random random = new Random(5);
        TileLayout layout = new TileLayout(new byte[32]);
        int corrected = 0;
        for (int trial = 0; trial < 50; trial++) {
            Payload payload = new Payload(random.nextLong());
            byte[] coded = ConvolutionalCode.encode(layout.info(payload));
            double[] soft = new double[coded.length];
            for (int i = 0; i < coded.length; i++) {
                // unit signal, noise giving about 10% raw bit errors
                soft[i] = (coded[i] == 1 ? 1 : -1) + 0.78 * random.nextGaussian();
            }
            if (payload.equals(layout.payloadIn(ConvolutionalCode.decode(soft, TileLayout.INFO_BITS)))) {
                corrected++;
            }
        }
        assertThat(corrected).isGreaterThanOrEqualTo(48);
        for (int trial = 0; trial < 2000; trial++) {
            double[] noise = new double[TileLayout.CODED_BITS];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = random.nextGaussian();
            }
            assertThat(layout.payloadIn(ConvolutionalCode.decode(noise, TileLayout.INFO_BITS))).isNull();
        }
    }
}
