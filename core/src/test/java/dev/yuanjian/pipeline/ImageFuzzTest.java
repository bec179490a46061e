package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.ManifestSlot;
import dev.yuanjian.container.Mutations;
import dev.yuanjian.store.Home;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 10,000 damaged PNGs and 10,000 damaged JPEGs (seeded, so a failing round is reproduced by its
 * number) through the container, label, propagate and verify: each either works or is refused with
 * a {@link FormatException} that has a message, and a refused file logs nothing. Any other exception
 * fails the round. Each case runs in the test thread; a {@link Watchdog} names a case that does not
 * end (a hang) instead of letting the build stall without saying which input did it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFuzzTest {
    /** Rounds per format; {@code -Dyuanjian.fuzz.rounds=N} runs longer while hunting. */
    private static final int ROUNDS = Integer.getInteger("yuanjian.fuzz.rounds", 10_000);

    Yuanjian app;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterAll
    void close() {
        app.close();
    }

    /** Good files of the format, each as the product writes it (every mark) and as others do. */
    private List<Asset> seeds(String format) throws Exception {
        if (format.equals("png")) {
            BufferedImage palette = new BufferedImage(40, 24, BufferedImage.TYPE_BYTE_INDEXED,
                    new IndexColorModel(2, 4, new byte[] {0, 127, -1, 10}, new byte[] {0, 40, -1, 90}, new byte[] {0, 80, -1, 5}));
            return List.of(
                    labelled(Asset.of("a.png", ImageFixtures.png(48, 32))),
                    labelled(Asset.of("alpha.png", ImageFixtures.encode(ImageFixtures.picture(40, 30, true), "png"))),
                    Asset.of("grey.png", ImageFixtures.afterIhdr(ImageFixtures.encode(ImageFixtures.grey(40, 30), "png"),
                            ImageFixtures.chunk("eXIf", "MM\0*\0\0\0\b\0\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                            ImageFixtures.chunk("tEXt", ImageFixtures.ascii("Comment\0hello")))),
                    Asset.of("palette.png", ImageFixtures.encode(palette, "png")));
        }
        byte[] exif = ImageFixtures.segment(0xE1, ImageFixtures.ascii("Exif\0\0MM\0*\0\0\0\b\0\0\0\0\0\0"));
        byte[] icc = ImageFixtures.segment(0xE2, ImageFixtures.ascii("ICC_PROFILE\0\1\1not really a profile"));
        return List.of(
                labelled(Asset.of("a.jpg", ImageFixtures.jpeg(48, 32))),
                labelled(Asset.of("progressive.jpg", progressive(ImageFixtures.picture(40, 32, false)))),
                Asset.of("grey.jpg", ImageFixtures.afterSoi(ImageFixtures.encode(ImageFixtures.grey(40, 30), "jpeg"), exif, icc)));
    }

    private Asset labelled(Asset asset) throws FormatException {
        return app.pipeline().label(new Pipeline.Request(asset, Set.of(), "m", Optional.empty())).labelled();
    }

    private static byte[] progressive(BufferedImage image) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"png", "jpg"})
    void damagedImagesWorkOrAreRefusedWithAFormatException(String format) throws Exception {
        List<Asset> seeds = seeds(format);
        // -Dyuanjian.fuzz.seed=N explores other mutations; the build always runs the same ones.
        Random random = new Random(Long.getLong("yuanjian.fuzz.seed", format.hashCode()));
        int[] outcomes = new int[2]; // accepted, refused: both must occur, or the test proves nothing
        String threadName = Thread.currentThread().getName();
        try (Watchdog watchdog = new Watchdog(Thread.currentThread()); LastInput last = new LastInput(format)) {
            for (int round = 0; round < ROUNDS; round++) {
                Asset seed = seeds.get(round % seeds.size());
                byte[] mutated = Mutations.mutateHarder(seed.bytes(), random);
                if (format.equals("png") && random.nextBoolean()) {
                    // Half the PNGs get their CRCs made right again, or most would stop at the first check.
                    mutated = withCrcsFixed(mutated);
                }
                Asset bad = Asset.of(seed.name(), mutated);
                String name = format + " round " + round + " (seed " + seed.name() + ")";
                // A crash in native code (the JDK's image codecs) kills the JVM; its hs_err file names the thread.
                Thread.currentThread().setName("fuzz " + name);
                last.keep(bad.bytes());
                watchdog.begin(name);
                Case c = new Case(name, outcomes, last);
                Container k = detect(bad);
                if (k != null) {
                    c.run(() -> {
                        k.check(bad);
                        return null;
                    });
                    c.run(() -> k.metadata(bad, ImageFixtures.AIGC));
                    c.run(() -> k.withMetadata(bad, ImageFixtures.AIGC, "X"));
                    Optional<ManifestSlot> slot = k.manifestSlot();
                    if (slot.isPresent()) {
                        c.run(() -> slot.get().read(bad));
                        c.run(() -> slot.get().remove(bad));
                    }
                    if (k.raster().isPresent()) {
                        c.run(() -> k.raster().get().decode(bad));
                    }
                }
                c.run(() -> app.verifier().verify(bad));
                c.logsNothingIfRefused(() -> app.pipeline().label(new Pipeline.Request(bad, Set.of(), "m", Optional.empty())));
                if (round % 4 == 0) {
                    c.logsNothingIfRefused(() -> app.pipeline().propagate(bad, Optional.empty()));
                }
                watchdog.end();
            }
        } finally {
            Thread.currentThread().setName(threadName);
        }
        assertThat(outcomes[0]).as("mutated files that were still accepted").isPositive();
        assertThat(outcomes[1]).as("mutated files that were refused").isPositive();
    }

    /** {@code png} with the CRC of every whole chunk recomputed (a damaged length ends the walk). */
    private static byte[] withCrcsFixed(byte[] png) {
        byte[] b = png.clone();
        int at = 8;
        while (at + 12 <= b.length) {
            long length = ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (length > b.length - at - 12) {
                break;
            }
            int end = at + 8 + (int) length;
            CRC32 crc = new CRC32();
            crc.update(b, at + 4, 4 + (int) length);
            long v = crc.getValue();
            for (int i = 0; i < 4; i++) {
                b[end + i] = (byte) (v >>> (24 - 8 * i));
            }
            at = end + 4;
        }
        return b;
    }

    /**
     * The input of the running case, kept where a crash of the JVM cannot lose it: the labelled seeds
     * differ per run (content ids, signatures), so a round number alone may not reproduce a fault.
     * {@code target/fuzz/last.FORMAT} is a memory-mapped file (written through the page cache, no
     * system call per case): a 4-byte big-endian length, then the bytes. {@link #keep} also writes
     * the input as {@code target/fuzz/failed.FORMAT} when a case fails in Java.
     */
    private static final class LastInput implements AutoCloseable {
        private static final int CAPACITY = 1 << 20;
        private final Path failed;
        private final FileChannel channel;
        private final MappedByteBuffer map;
        private byte[] bytes = new byte[0];

        LastInput(String format) throws IOException {
            Path dir = Files.createDirectories(Path.of("target", "fuzz"));
            failed = dir.resolve("failed." + format);
            channel = FileChannel.open(dir.resolve("last." + format), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, CAPACITY);
        }

        void keep(byte[] input) {
            bytes = input;
            int n = Math.min(input.length, CAPACITY - 4);
            map.putInt(0, n).put(4, input, 0, n);
        }

        void saveFailed() throws IOException {
            Files.write(failed, bytes);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The container for a damaged file, or null when detection refuses it (a FormatException as any other). */
    private Container detect(Asset bad) {
        try {
            return app.pipeline().containers().detect(bad.name(), bad.bytes());
        } catch (FormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
    }

    /** One damaged file's calls. */
    private final class Case {
        private final String name;
        private final int[] outcomes;
        private final LastInput input;

        Case(String name, int[] outcomes, LastInput input) {
            this.name = name;
            this.outcomes = outcomes;
            this.input = input;
        }

        private AssertionError failed(String what, Throwable cause) {
            try {
                input.saveFailed();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
            return new AssertionError(name + ": " + what + " (the input is in target/fuzz/)", cause);
        }

        void run(Callable<?> call) {
            try {
                call.call();
                outcomes[0]++;
            } catch (FormatException refused) {
                outcomes[1]++;
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw failed("a refusal without a message", refused);
                }
            } catch (Exception | Error e) {
                throw failed(e.toString(), e);
            }
        }

        void logsNothingIfRefused(Callable<?> call) {
            long before = app.log().size();
            try {
                call.call();
                outcomes[0]++;
            } catch (FormatException refused) {
                outcomes[1]++;
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw failed("a refusal without a message", refused);
                }
                if (app.log().size() != before) {
                    throw failed("a refused file was logged", refused);
                }
            } catch (Exception | Error e) {
                throw failed(e.toString(), e);
            }
        }
    }

    /**
     * Names a case that has not ended within a generous bound (a hang, not slowness: a case takes
     * milliseconds) with the test thread's stack, then interrupts it; never a check of speed.
     */
    private static final class Watchdog implements AutoCloseable {
        private static final long HANG_NANOS = 120_000_000_000L;
        private final Thread watched;
        private final Thread thread;
        private volatile String current;
        private volatile long started;

        Watchdog(Thread watched) {
            this.watched = watched;
            this.thread = Thread.ofPlatform().daemon().name("fuzz-watchdog").start(this::watch);
        }

        void begin(String name) {
            started = System.nanoTime();
            current = name;
        }

        void end() {
            current = null;
        }

        private void watch() {
            try {
                while (true) {
                    Thread.sleep(1000);
                    String name = current;
                    if (name != null && System.nanoTime() - started > HANG_NANOS) {
                        AssertionError hang = new AssertionError(name + " did not end: a hang");
                        hang.setStackTrace(watched.getStackTrace());
                        hang.printStackTrace();
                        watched.interrupt();
                        return;
                    }
                }
            } catch (InterruptedException closed) {
                // the fuzz run ended
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
