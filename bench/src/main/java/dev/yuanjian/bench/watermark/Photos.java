package dev.yuanjian.bench.watermark;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The benchmark's photographs: from a KDE wallpaper tree ({@code <dir>/<Name>/contents/images/<W>x<H>.jpg|png},
 * as {@code plasma-workspace-wallpapers} installs it), the largest image of each wallpaper, scaled
 * to cover {@code side} on its shorter side at 16:9 (1920 x 1080 for side 1080, or 1080 x 1920 when
 * portrait) and centre-cropped to exactly that, as 8-bit RGB.
 */
final class Photos {
    private static final Pattern SIZE = Pattern.compile("(\\d+)x(\\d+)\\.(jpe?g|png)", Pattern.CASE_INSENSITIVE);

    /** One photograph: the wallpaper's name and its pixels at the benchmark's size. */
    record Photo(String name, BufferedImage image) {
    }

    private Photos() {
    }

    /**
     * @throws IOException when {@code dir} holds no wallpaper images (run {@code bench/fetch-wallpapers})
     *                     or one cannot be read
     */
    static List<Photo> load(Path dir, int side, int limit) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory; run bench/fetch-wallpapers, or give --wallpapers DIR");
        }
        List<Path> wallpapers;
        try (Stream<Path> list = Files.list(dir)) {
            wallpapers = list.filter(Files::isDirectory).sorted().toList();
        }
        List<Photo> photos = new ArrayList<>();
        for (Path wallpaper : wallpapers) {
            if (photos.size() == limit) {
                break;
            }
            Optional<Path> largest = largest(wallpaper.resolve("contents/images"));
            if (largest.isPresent()) {
                BufferedImage image = ImageIO.read(largest.get().toFile());
                if (image == null) {
                    throw new IOException(largest.get() + " is not an image ImageIO can read");
                }
                photos.add(new Photo(wallpaper.getFileName().toString(), fit(image, side)));
            }
        }
        if (photos.isEmpty()) {
            throw new IOException("no <name>/contents/images/<W>x<H>.jpg or .png under " + dir
                    + "; run bench/fetch-wallpapers, or give --wallpapers DIR");
        }
        return photos;
    }

    private static Optional<Path> largest(Path images) throws IOException {
        if (!Files.isDirectory(images)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(images)) {
            return files.filter(p -> SIZE.matcher(p.getFileName().toString()).matches())
                    .max(Comparator.comparingLong(Photos::pixels));
        }
    }

    private static long pixels(Path file) {
        Matcher m = SIZE.matcher(file.getFileName().toString());
        m.matches();
        return Long.parseLong(m.group(1)) * Long.parseLong(m.group(2));
    }

    /** Scaled (halving steps, then bicubic) to cover 16:9 at {@code side} and centre-cropped to it. */
    static BufferedImage fit(BufferedImage image, int side) {
        boolean portrait = image.getHeight() > image.getWidth();
        int tw = portrait ? side : side * 16 / 9;
        int th = portrait ? side * 16 / 9 : side;
        double scale = Math.max((double) tw / image.getWidth(), (double) th / image.getHeight());
        BufferedImage current = Attack.copy(image);
        while (current.getWidth() * scale < current.getWidth() / 2.0) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
            scale *= 2;
        }
        int sw = Math.max(tw, (int) Math.ceil(current.getWidth() * scale));
        int sh = Math.max(th, (int) Math.ceil(current.getHeight() * scale));
        BufferedImage scaled = draw(current, sw, sh);
        return Attack.copy(scaled.getSubimage((sw - tw) / 2, (sh - th) / 2, tw, th));
    }

    private static BufferedImage draw(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static String describe(List<Photo> photos) {
        return photos.size() + " photos at " + photos.getFirst().image().getWidth() + " x "
                + photos.getFirst().image().getHeight() + String.format(Locale.ROOT, " (%s ... %s)",
                photos.getFirst().name(), photos.getLast().name());
    }
}
