package dev.yuanjian.watermark;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.container.Raster;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Issuance;
import dev.yuanjian.mark.PixelMark;
import dev.yuanjian.mark.Message;
import dev.yuanjian.mark.Stage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The invisible watermark as a mark ({@link Stage#WATERMARK}: after the visible label, which it
 * then covers too, and before the metadata that describes the finished pixels). Its payload names
 * the content id, so that verify traces an image to its log entry after every label was stripped
 * and the pixels were re-encoded, resized or cropped ({@link Claim.Traced}).
 *
 * <p>It goes on raster formats this product can re-encode (PNG, JPEG; it is read from WebP too), in images of at least
 * {@value ImageWatermark#MIN_EMBED_SIDE} pixels on the shorter side with RGB or grey samples;
 * others are labelled without it and told why ({@link #unfit}). An image that already carries this
 * key's watermark keeps it: a second one on top would make both unreadable.
 */
public final class WatermarkMark implements PixelMark {
    public static final String NAME = "watermark";

    private final WatermarkKeys keys;
    private ImageWatermark marker;
    private Optional<ImageWatermark> detector;

    public WatermarkMark(WatermarkKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Stage stage() {
        return Stage.WATERMARK;
    }

    /** A request may leave the watermark out; the GB 45438 label stays. */
    @Override
    public boolean optional() {
        return true;
    }

    @Override
    public boolean appliesTo(Container container) {
        return container.raster().isPresent();
    }

    @Override
    public Asset apply(Asset asset, Container container, Issuance issuance) throws FormatException {
        Raster raster = container.raster().orElseThrow();
        if (!raster.encodes() || raster.frames(asset) > 1) {
            return asset; // WebP cannot be written; an animation would keep only its first frame (see unfit)
        }
        BufferedImage image;
        try {
            image = raster.decode(asset);
        } catch (FormatException undecodable) {
            // Too large to decode, or a coding the JDK cannot read: the metadata label does not need
            // the pixels, so the file is labelled without a watermark and told why (see unfit).
            return asset;
        }
        Optional<Painted> marked = paint(asset, container, image, raster.orientation(asset), issuance);
        return marked.isEmpty() ? asset : raster.encode(asset, marked.get().pixels());
    }

    /** Images the product can re-encode and that are not animations. */
    @Override
    public boolean changesPixels(Container container) {
        return container.raster().filter(Raster::encodes).isPresent();
    }

    /**
     * Marks {@code pixels} in place (they are the pipeline's own decoded copy), unless the image is
     * unfit or already carries this key's watermark: a second one on top would make both unreadable.
     */
    @Override
    public Optional<Painted> paint(Asset asset, Container container, BufferedImage pixels, int orientation,
                                   Issuance issuance) throws FormatException {
        if (container.raster().orElseThrow().frames(asset) > 1 || ImageWatermark.unfit(pixels).isPresent()) {
            return Optional.empty();
        }
        Optional<Payload> earlier = marker().embedInPlaceUnlessMarked(pixels, orientation, Payload.of(issuance.contentId()));
        return earlier.isPresent() ? Optional.empty() : Optional.of(new Painted(pixels, AfterEncode.NOTHING));
    }

    /** A grey or Y Cb Cr JPEG large enough, whose luma is sampled at full size; others go through pixels. */
    @Override
    public boolean paintsCoefficients(Container container, JpegCoefficients coefficients) {
        return ImageWatermark.unfit(coefficients).isEmpty();
    }

    @Override
    public Optional<AfterEncode> paint(Asset asset, Container container, JpegCoefficients coefficients, int orientation,
                                       Issuance issuance) throws FormatException {
        if (container.raster().orElseThrow().frames(asset) > 1) {
            return Optional.empty();
        }
        Optional<Payload> earlier = marker().embedInPlaceUnlessMarked(coefficients, orientation,
                Payload.of(issuance.contentId()));
        return earlier.isPresent() ? Optional.empty() : Optional.of(AfterEncode.NOTHING);
    }

    @Override
    public Optional<Message> unfit(Asset asset, Container container) {
        Optional<String> reason;
        try {
            Raster raster = container.raster().orElseThrow();
            int frames = raster.frames(asset);
            reason = !raster.encodes() ? Optional.of(container.format().toUpperCase(java.util.Locale.ROOT)
                    + " images cannot be re-encoded here; the watermark is read from them, not written")
                    : frames > 1 ? Optional.of("an animation of " + frames + " frames; marking would keep only the first")
                    : ImageWatermark.unfit(raster.decode(asset));
        } catch (FormatException undecodable) {
            reason = Optional.of("the pixels could not be decoded: " + undecodable.getMessage());
        }
        return reason.map(r -> new Message("no invisible watermark: " + r, "未加隐式水印：" + r));
    }

    @Override
    public Finding detect(Asset asset, Container container, AssetDigests digests) throws FormatException {
        Optional<ImageWatermark> watermark;
        try {
            watermark = detector();
        } catch (UncheckedIOException noKey) {
            // Verify goes on for the other marks; the report says why this one could not be looked for.
            Message why = noKey.getCause() instanceof WatermarkKeys.LostKeyException lost ? lost.why()
                    : new Message(noKey.getMessage(), "水印密钥无法读取：" + noKey.getCause().getMessage());
            return new WatermarkFinding(Optional.empty(), "", Optional.of(new Unlooked.KeyUnavailable(why)));
        }
        if (watermark.isEmpty()) {
            return new WatermarkFinding(Optional.empty(), "", Optional.empty());
        }
        Raster raster = container.raster().orElseThrow();
        BufferedImage image;
        try {
            image = raster.decode(asset);
        } catch (FormatException undecodable) {
            // Verify reads the labels of files whose pixels it cannot decode; the watermark says why it could not look.
            return new WatermarkFinding(Optional.empty(), watermark.get().keyId(), Optional.of(new Unlooked.Undecodable(
                    new Message(undecodable.getMessage(), "图片像素无法解码：" + undecodable.getMessage()))));
        }
        Detection detection = watermark.get().detect(image, raster.orientation(asset));
        return new WatermarkFinding(Optional.of(detection), watermark.get().keyId(), Optional.empty());
    }

    private synchronized ImageWatermark marker() {
        if (marker == null) {
            try {
                marker = new ImageWatermark(keys.forMarking());
            } catch (IOException e) {
                throw new UncheckedIOException("the watermark key could not be read or created: " + e.getMessage(), e);
            }
            detector = Optional.of(marker);
        }
        return marker;
    }

    private synchronized Optional<ImageWatermark> detector() {
        if (detector == null) {
            try {
                detector = keys.forDetection().map(ImageWatermark::new);
            } catch (IOException e) {
                throw new UncheckedIOException("the watermark key could not be read: " + e.getMessage(), e);
            }
        }
        return detector;
    }

    /** Why the watermark could not be looked for at all (as opposed to looked for and not found). */
    public sealed interface Unlooked {
        /** What happened and what to do. */
        Message why();

        /** The key is missing (lost after marking) or unreadable: an operator's problem, not the file's. */
        record KeyUnavailable(Message why) implements Unlooked {
        }

        /** The file's pixels could not be decoded. */
        record Undecodable(Message why) implements Unlooked {
        }
    }

    /**
     * What the detector found: the payload and how clearly, nothing, or that the image is too small
     * to tell; empty when this service has no watermark key (it never marked an image) or, with
     * {@code problem} saying why, when the key is lost or the pixels could not be decoded.
     * JSON view: {@code {"found": true, "payload": "…", "made": "…", "syncScore": 21.3,
     * "bitAgreement": 0.98, "scale": 1.0, "falsePositiveBound": 7.0e-10, "key": "…"}}.
     */
    public record WatermarkFinding(Optional<Detection> detection, String keyId, Optional<Unlooked> problem)
            implements Finding {
        @Override
        public String mark() {
            return NAME;
        }

        @Override
        public boolean present() {
            return detection.orElse(null) instanceof Detection.Found;
        }

        @Override
        public Message summary() {
            return switch (detection.orElse(null)) {
                case null -> problem.map(p -> new Message("the watermark could not be looked for: " + p.why().en(),
                                "无法检测水印：" + p.why().zh()))
                        .orElse(new Message("no watermark key here: this service has marked no image",
                                "本服务没有水印密钥：未曾给图片加过水印"));
                case Detection.Found found -> new Message("invisible watermark present: it names content made at "
                        + made(found.payload()), "隐式水印：有，指向 " + made(found.payload()) + " 生成的内容");
                case Detection.NotFound none -> new Message("no invisible watermark of this service found",
                        "隐式水印：未发现本服务的水印");
                case Detection.TooSmall small -> new Message("image too small to look for the watermark ("
                        + small.width() + " x " + small.height() + ")", "图片太小，无法检测水印");
            };
        }

        @Override
        public List<Fact> facts() {
            List<Fact> facts = new ArrayList<>();
            if (detection.orElse(null) instanceof Detection.Found found) {
                facts.add(new Fact("payload", found.payload().toString()));
                facts.add(new Fact("made", made(found.payload())));
                facts.add(new Fact("sync score", String.format(Locale.ROOT, "%.1f", found.syncScore())));
                facts.add(new Fact("bits agreeing", String.format(Locale.ROOT, "%.1f%%", 100 * found.bitAgreement())));
                facts.add(new Fact("false positive", String.format(Locale.ROOT, "at most %.1e per image",
                        ImageWatermark.FALSE_POSITIVE_BOUND)));
            }
            return facts;
        }

        @Override
        public List<Message> notes() {
            return List.of();
        }

        @Override
        public List<Claim> claims() {
            return detection.orElse(null) instanceof Detection.Found found
                    ? List.of(new Claim.Traced(NAME, found.payload().contentIdsFrom(), found.payload().contentIdsTo()))
                    : List.of();
        }

        @Override
        public Object view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("found", present());
            view.put("key", keyId);
            switch (detection.orElse(null)) {
                case null -> view.put("reason", problem.map(p -> p.why().en()).orElse("no watermark key"));
                case Detection.Found found -> {
                    view.put("payload", found.payload().toString());
                    view.put("made", made(found.payload()));
                    view.put("syncScore", round(found.syncScore()));
                    view.put("bitAgreement", round(found.bitAgreement()));
                    view.put("scale", round(found.scale()));
                    view.put("falsePositiveBound", ImageWatermark.FALSE_POSITIVE_BOUND);
                }
                case Detection.NotFound none -> view.put("bestSyncScore", round(none.bestSyncScore()));
                case Detection.TooSmall small -> view.put("reason", "image smaller than " + small.minSide() + " px");
            }
            return view;
        }

        private static String made(Payload payload) {
            return Instant.ofEpochMilli(payload.millis()).toString();
        }

        private static double round(double value) {
            return Math.round(value * 1000) / 1000.0;
        }
    }
}
