package dev.yuanjian.pipeline;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.Containers;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.container.Repaired;
import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.label.Seal;
import dev.yuanjian.ledger.ProvenanceRecord;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Binding;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Claim.Role;
import dev.yuanjian.mark.Digests;
import dev.yuanjian.mark.Issuance;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.mark.PixelMark;
import dev.yuanjian.container.Raster;
import java.awt.image.BufferedImage;
import dev.yuanjian.mark.Marks;
import dev.yuanjian.mark.Message;
import dev.yuanjian.mark.Sealing;
import dev.yuanjian.store.SigningKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Labels an asset: every mark in order, then the log entry, then the seals.
 *
 * <p>The order is what makes the seal possible. {@link Mark#apply} runs for each mark in
 * {@link dev.yuanjian.mark.Stage} order, writing placeholders for what depends on the log entry;
 * {@link Digests#of} computes the producer's digest over every mark's declared view; the digest
 * goes into the log; then {@link Mark#seal} fills in the placeholders. Since every mark's view
 * leaves out what its seal writes, the final file has exactly the digest that was logged, and the
 * pipeline checks that before returning anything. Consecutive marks that change an image's pixels
 * ({@link PixelMark}: the visible label and the watermark) share one decoding and one encoding.
 */
public final class Pipeline {
    private final Containers containers;
    private final Marks marks;
    private final ImplicitLabelMark implicit;
    private final TransparencyLog log;
    private final SigningKey labelKey;
    private final String producerCode;
    private final ContentIds ids;
    private final PromptDigester prompts;
    private final Clock clock;

    /**
     * @param marks    every mark, the GB 45438 implicit label among them
     * @param implicit the implicit label mark of {@code marks}: it carries the label every result reports
     */
    public Pipeline(Containers containers, Marks marks, ImplicitLabelMark implicit, TransparencyLog log,
                    SigningKey labelKey, String producerCode, ContentIds ids, PromptDigester prompts, Clock clock) {
        if (!marks.all().contains(implicit)) {
            throw new IllegalArgumentException("the implicit label mark must be one of the marks");
        }
        this.containers = containers;
        this.marks = marks;
        this.implicit = implicit;
        this.log = log;
        this.labelKey = labelKey;
        this.producerCode = producerCode;
        this.ids = ids;
        this.prompts = prompts;
        this.clock = clock;
    }

    public Containers containers() {
        return containers;
    }

    public Marks marks() {
        return marks;
    }

    /**
     * What to label and how.
     *
     * @param omit   names of optional marks to leave out (e.g. {@code gb45438-explicit} for no visible label)
     * @param model  the model that produced the content, as the log should name it
     * @param prompt the prompt, if known; only its keyed digest is logged
     */
    public record Request(Asset asset, Set<String> omit, String model, Optional<String> prompt) {
        public Request {
            omit = Set.copyOf(omit);
        }
    }

    /**
     * The labelled file and where it was recorded.
     *
     * @param marks           the names of the marks applied, in order
     * @param protectedDigest hex digest the log entry records
     * @param notices         what the user should know about the input, e.g. that it was damaged and
     *                        repaired before it was marked ({@link Container#repaired}); usually empty
     * @param alreadyPresent  the names of applied marks that found their mark already in the input and
     *                        left it as it was (a visible label already shown is not drawn again), in order
     */
    public record Result(Asset labelled, String format, String mediaType, String contentId, long logIndex,
                         AigcLabel label, String protectedDigest, List<String> marks, List<Message> notices,
                         List<String> alreadyPresent) {
        public Result {
            marks = List.copyOf(marks);
            alreadyPresent = List.copyOf(alreadyPresent);
            notices = List.copyOf(notices);
        }
    }

    /**
     * Applies every mark that the format takes and the request does not omit, logs, seals.
     *
     * @throws FormatException when the file is corrupt, unsupported, or cannot carry a mark; nothing is logged then
     */
    public Result label(Request request) throws FormatException {
        for (String name : request.omit()) {
            if (!marks.optionalNames().contains(name)) {
                throw new IllegalArgumentException(name + " is not a mark that may be left out; optional marks: "
                        + marks.optionalNames());
            }
        }
        Container container = containers.detect(request.asset().name(), request.asset().bytes());
        Repaired repaired = container.repaired(request.asset());
        Asset asset = repaired.asset();
        container.check(asset);
        List<Mark> applicable = marks.all().stream().filter(m -> m.appliesTo(container)).toList();
        Issuance issuance = new Issuance(ids.next(), producerCode, safeModel(request.model()));
        List<String> applied = new ArrayList<>();
        List<String> alreadyPresent = new ArrayList<>();
        List<Message> notices = new ArrayList<>(messages(repaired));
        for (int i = 0; i < applicable.size(); i++) {
            Mark mark = applicable.get(i);
            List<PixelMark> pass = pixelPass(applicable, i, container, request.omit());
            if (!pass.isEmpty()) {
                Optional<Asset> painted = paintOnce(asset, container, pass, issuance, applied, alreadyPresent, notices);
                if (painted.isPresent()) {
                    asset = painted.get();
                    i += pass.size() - 1;
                    continue;
                }
                // pixels that cannot be decoded: each mark on its own, as it would alone (it refuses or skips)
            }
            if (!request.omit().contains(mark.name())) {
                Asset before = asset;
                asset = mark.apply(asset, container, issuance);
                // A mark that leaves the asset as it is either found itself already there (the user is
                // told so rather than that it was added) or could not be put on (the user is told why).
                Optional<Message> unfit = Arrays.equals(before.bytes(), asset.bytes())
                        ? mark.unfit(asset, container) : Optional.empty();
                if (unfit.isPresent()) {
                    notices.add(unfit.get());
                    continue;
                }
                applied.add(mark.name());
                if (Arrays.equals(before.bytes(), asset.bytes())) {
                    alreadyPresent.add(mark.name());
                }
            } else {
                asset = mark.omitted(asset, container);
            }
        }
        byte[] digest = Digests.of(asset, container, applicable, Binding.PRODUCER);
        ProvenanceRecord record = ProvenanceRecord.of(issuance.contentId(), container.mediaType(), digest, producerCode,
                issuance.model(), clock.instant(), request.prompt().map(prompts::digest).orElse(""));
        long index = log.append(record).index();
        Sealing sealing = new Sealing(issuance, index, digest);
        for (Mark mark : applicable) {
            if (applied.contains(mark.name())) {
                asset = mark.seal(asset, container, sealing);
            }
        }
        requireDigest(asset, container, applicable, Binding.PRODUCER, digest);
        return new Result(asset, container.format(), container.mediaType(), issuance.contentId(), index,
                implicit.require(asset, container), HexFormat.of().formatHex(digest), applied, notices,
                alreadyPresent);
    }

    /**
     * The marks from {@code from} on that change this container's pixels, consecutively and none
     * left out: they share one decoding and one encoding ({@link #paintOnce}).
     */
    private static List<PixelMark> pixelPass(List<Mark> marks, int from, Container container, Set<String> omit) {
        List<PixelMark> pass = new ArrayList<>();
        for (int i = from; i < marks.size(); i++) {
            if (!(marks.get(i) instanceof PixelMark pixel) || !pixel.changesPixels(container) || omit.contains(pixel.name())) {
                break;
            }
            pass.add(pixel);
        }
        return pass;
    }

    /**
     * The pixel marks of {@code pass} on one decoding of {@code asset}, encoded once (each on its own
     * costs a codec round trip and, for JPEG, a generation of loss). A baseline JPEG whose
     * coefficients every mark of the pass can change is not decoded at all: the marks change its
     * DCT coefficients ({@link Raster#coefficients}), and blocks no mark touches are written back
     * bit for bit. Records each mark as applied, already present, or unfit with its notice. Empty
     * when the pixels cannot be decoded, and for a pass of one mark that needs pixels (the mark
     * alone does the same).
     */
    private static Optional<Asset> paintOnce(Asset asset, Container container, List<PixelMark> pass, Issuance issuance,
                                             List<String> applied, List<String> alreadyPresent, List<Message> notices)
            throws FormatException {
        Raster raster = container.raster().orElseThrow();
        Optional<JpegCoefficients> coefficients = raster.coefficients(asset);
        if (coefficients.isPresent() && pass.stream().allMatch(m -> m.paintsCoefficients(container, coefficients.get()))) {
            JpegCoefficients blocks = coefficients.get();
            int orientation = raster.orientation(asset);
            List<PixelMark.AfterEncode> after = record(pass, asset, container, applied, alreadyPresent, notices,
                    mark -> mark.paint(asset, container, blocks, orientation, issuance));
            return Optional.of(after.isEmpty() ? asset : afterEncode(raster.encode(asset, blocks), container, after));
        }
        if (pass.size() == 1) {
            return Optional.empty();
        }
        BufferedImage[] pixels = new BufferedImage[1];
        try {
            pixels[0] = raster.decode(asset);
        } catch (FormatException undecodable) {
            return Optional.empty();
        }
        int orientation = raster.orientation(asset);
        List<PixelMark.AfterEncode> after = record(pass, asset, container, applied, alreadyPresent, notices, mark -> {
            Optional<PixelMark.Painted> painted = mark.paint(asset, container, pixels[0], orientation, issuance);
            painted.ifPresent(p -> pixels[0] = p.pixels());
            return painted.map(PixelMark.Painted::after);
        });
        return Optional.of(after.isEmpty() ? asset : afterEncode(raster.encode(asset, pixels[0]), container, after));
    }

    /** One mark of a pixel pass, on whatever the pass changes: what it writes after encoding, or empty when it changed nothing. */
    @FunctionalInterface
    private interface PaintStep {
        Optional<PixelMark.AfterEncode> paint(PixelMark mark) throws FormatException;
    }

    /** Runs {@code step} for each mark of {@code pass}, recording it as applied, already present or unfit. */
    private static List<PixelMark.AfterEncode> record(List<PixelMark> pass, Asset asset, Container container,
                                                      List<String> applied, List<String> alreadyPresent,
                                                      List<Message> notices, PaintStep step) throws FormatException {
        List<PixelMark.AfterEncode> after = new ArrayList<>();
        for (PixelMark mark : pass) {
            Optional<PixelMark.AfterEncode> painted = step.paint(mark);
            if (painted.isPresent()) {
                after.add(painted.get());
                applied.add(mark.name());
                continue;
            }
            Optional<Message> unfit = mark.unfit(asset, container);
            if (unfit.isPresent()) {
                notices.add(unfit.get());
            } else {
                applied.add(mark.name());
                alreadyPresent.add(mark.name());
            }
        }
        return after;
    }

    private static Asset afterEncode(Asset encoded, Container container, List<PixelMark.AfterEncode> after)
            throws FormatException {
        for (PixelMark.AfterEncode step : after) {
            encoded = step.apply(encoded, container);
        }
        return encoded;
    }

    /**
     * Adds this service as the distributing platform (GB 45438 {@code ContentPropagator},
     * {@code PropagateID}, {@code ReservedCode2}) and logs the event; the producer's fields and seal
     * are untouched. An unlabelled file is labelled {@code level} "2" (possibly) or "3" (suspected
     * AI-generated), as the platform classifies it (Measures Art. 6).
     *
     * @throws FormatException when the file is corrupt or unsupported, or the level does not fit
     */
    public Result propagate(Asset input, Optional<String> level) throws FormatException {
        Container container = containers.detect(input.name(), input.bytes());
        Repaired repaired = container.repaired(input);
        Asset asset = repaired.asset();
        container.check(asset);
        List<Mark> applicable = marks.all().stream().filter(m -> m.appliesTo(container)).toList();
        requireGenuineProducerLabel(asset, container, applicable);
        String propagateId = ids.next();
        Optional<String> produceId = implicit.read(asset, container).map(p -> p.label().produceId());
        Asset drafted = implicit.propagate(asset, container, propagateId, level);
        byte[] digest = Digests.of(drafted, container, applicable, Binding.PROPAGATOR);
        String event = "propagation:" + produceId.filter(id -> !id.isEmpty()).map(ContentIds::safe).orElse("unlabelled");
        ProvenanceRecord record = ProvenanceRecord.of(propagateId, container.mediaType(), digest, producerCode,
                safeModel(event), clock.instant(), "");
        long index = log.append(record).index();
        Asset sealed = implicit.sealPropagation(drafted, container, index, digest);
        List<String> changed = new ArrayList<>(List.of(ImplicitLabelMark.NAME));
        Sealing sealing = new Sealing(new Issuance(propagateId, producerCode, safeModel(event)), index, digest);
        for (Mark mark : applicable) {
            Asset bound = mark.afterPropagation(sealed, container, sealing);
            if (bound != sealed) {
                changed.add(mark.name());
                sealed = bound;
            }
        }
        requireDigest(sealed, container, applicable, Binding.PROPAGATOR, digest);
        return new Result(sealed, container.format(), container.mediaType(), propagateId, index,
                implicit.require(sealed, container), HexFormat.of().formatHex(digest), List.copyOf(changed),
                messages(repaired), List.of());
    }

    /**
     * A label that names this service as producer is propagated only when its seal checks and the
     * content is as logged: sealing a forged or altered label as propagator would vouch for it.
     * Other producers' labels cannot be checked here and are propagated as they are.
     */
    private void requireGenuineProducerLabel(Asset asset, Container container, List<Mark> marks) throws FormatException {
        byte[] exact = Digests.sha256(asset.bytes());
        AssetDigests digests = new AssetDigests(exact, Digests.of(asset, container, marks, Binding.PRODUCER), exact);
        if (implicit.detect(asset, container, digests) instanceof ImplicitLabelMark.LabelFinding finding
                && finding.producer().isPresent()) {
            switch (finding.producer().get().claim()) {
                case Claim.Forged forged -> throw new FormatException(asset.name() + " carries a label that names this "
                        + "service as producer but does not check (" + forged.reason().en() + "); it is not propagated");
                case Claim.Issued issued when !issued.intact() -> throw new FormatException(asset.name()
                        + " was changed after this service labelled it (log entry " + issued.logIndex()
                        + "); it is not propagated as it stands: label the changed file again");
                default -> {
                }
            }
        }
    }

    /**
     * Records an output no container can mark (formats without one, such as GIF or TIFF images or
     * speech audio, or bytes a container refuses): a log entry with the SHA-256 of exactly {@code bytes}, and a sealed label
     * for the caller to return beside the bytes (the API envelope). Verify then finds the output by
     * its exact hash.
     */
    public Result record(String name, byte[] bytes, String mediaType, String model, Optional<String> prompt) {
        byte[] digest = Digests.sha256(bytes);
        String contentId = ids.next();
        ProvenanceRecord record = ProvenanceRecord.of(contentId, mediaType, digest, producerCode, safeModel(model),
                clock.instant(), prompt.map(prompts::digest).orElse(""));
        long index = log.append(record).index();
        AigcLabel unsealed = new AigcLabel("1", producerCode, contentId, "", "", "", "");
        Seal seal = Seal.sign(labelKey, Role.PRODUCER, unsealed, index, digest);
        return new Result(Asset.of(name, bytes), "unmarked", mediaType, contentId, index,
                unsealed.withReservedCode1(seal.encode()), HexFormat.of().formatHex(digest), List.of(), List.of(), List.of());
    }

    private static List<Message> messages(Repaired repaired) {
        return repaired.notices().stream().map(n -> new Message(n.en(), n.zh())).toList();
    }

    private static void requireDigest(Asset asset, Container container, List<Mark> marks, Binding binding, byte[] logged)
            throws FormatException {
        if (!Arrays.equals(Digests.of(asset, container, marks, binding), logged)) {
            throw new IllegalStateException("a mark's seal changed the " + container.format() + " file's digest; "
                    + "the file was not returned (a mark's digestView must leave out what its seal writes)");
        }
    }

    private static String safeModel(String model) {
        if (model == null || model.isBlank()) {
            return "unspecified";
        }
        String safe = ContentIds.safe(model);
        return safe.length() > 256 ? safe.substring(0, 256) : safe;
    }
}
