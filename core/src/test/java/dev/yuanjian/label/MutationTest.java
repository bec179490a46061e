package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.utf8;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged files (flipped, cut, duplicated bytes) either work or raise LabelFormatException:
 * never another exception, whatever the damage.
 */
class MutationTest {
    static Stream<Arguments> seeds() throws Exception {
        AigcLabel label = Fixtures.label("SIG");
        MarkdownCodec md = new MarkdownCodec();
        DocxCodec docx = new DocxCodec();
        PdfCodec pdf = new PdfCodec();
        PngCodec png = new PngCodec();
        JpegCodec jpeg = new JpegCodec();
        return Stream.of(
                Arguments.of(md, md.write(Asset.of("a.md", utf8("---\ntitle: t\n---\n正文\n")), label).bytes(), 400),
                Arguments.of(docx, docx.write(Asset.of("a.docx", Fixtures.docx(List.of("text"), null)), label).bytes(), 300),
                Arguments.of(pdf, pdf.write(Asset.of("a.pdf", Fixtures.pdf(List.of("text"), false)), label).bytes(), 150),
                Arguments.of(pdf, pdf.write(Asset.of("a.pdf", Fixtures.pdf(List.of("text"), true)), label).bytes(), 150),
                Arguments.of(png, png.write(Asset.of("a.png", ImageCodecTest.png(48, 32)), label).bytes(), 300),
                Arguments.of(jpeg, jpeg.write(Asset.of("a.jpg", ImageCodecTest.jpeg(48, 32)), label).bytes(), 300));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void damagedFilesRaiseOnlyLabelFormatException(LabelCodec codec, byte[] good, int rounds) {
        Random random = new Random(11);
        for (int round = 0; round < rounds; round++) {
            byte[] bad = mutate(good, random);
            Asset asset = Asset.of("m." + codec.format(), bad);
            run(() -> codec.read(asset), round);
            run(() -> codec.protectedDigest(asset), round);
            if (round % 3 == 0) {
                run(() -> codec.write(asset, Fixtures.label("X")), round);
            }
            if (round % 10 == 0) {
                run(() -> codec.addExplicit(asset, ExplicitLabel.DEFAULT), round);
            }
        }
    }

    private interface Call {
        Object call() throws LabelFormatException;
    }

    private static void run(Call call, int round) {
        try {
            call.call();
        } catch (LabelFormatException expected) {
            // the only failure allowed
        } catch (RuntimeException | Error e) {
            throw new AssertionError("round " + round + ": " + e, e);
        }
    }

    private static byte[] mutate(byte[] good, Random random) {
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
