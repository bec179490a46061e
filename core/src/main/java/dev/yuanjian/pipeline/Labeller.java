package dev.yuanjian.pipeline;

import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.Asset;
import dev.yuanjian.label.Codecs;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.label.LabelCodec;
import dev.yuanjian.label.LabelFormatException;
import dev.yuanjian.ledger.ProvenanceRecord;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.store.SigningKey;
import dev.yuanjian.verify.Seal;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Labels a document: explicit label, implicit label with this producer's seal, log entry.
 *
 * <p>The order matters. The implicit label is first written with {@link Seal#PLACEHOLDER}; the
 * protected digest of that file (which excludes the seal) goes into the log; the log index and the
 * digest are then signed, and the real seal replaces the placeholder. Because every seal has the
 * same length and the digest excludes it, the final file has the digest that was logged.
 */
public final class Labeller {
    private final Codecs codecs;
    private final TransparencyLog log;
    private final SigningKey labelKey;
    private final String producerCode;
    private final ContentIds ids;
    private final PromptDigester prompts;
    private final Clock clock;

    public Labeller(Codecs codecs, TransparencyLog log, SigningKey labelKey, String producerCode, ContentIds ids,
                    PromptDigester prompts, Clock clock) {
        this.codecs = codecs;
        this.log = log;
        this.labelKey = labelKey;
        this.producerCode = producerCode;
        this.ids = ids;
        this.prompts = prompts;
        this.clock = clock;
    }

    /**
     * What to label and how.
     *
     * @param explicit the visible label to add, or empty to add none (the metadata label is always written)
     * @param model    the model that produced the content, as the log should name it
     * @param prompt   the prompt, if known; only its keyed digest is logged
     */
    public record Request(Asset asset, Optional<ExplicitLabel> explicit, String model, Optional<String> prompt) {
    }

    /** The labelled file and where it was recorded. */
    public record Result(Asset labelled, String format, String mediaType, String contentId, long logIndex,
                         AigcLabel label, String protectedDigest) {
    }

    public Result label(Request request) throws LabelFormatException {
        LabelCodec codec = codecs.detect(request.asset().name(), request.asset().bytes());
        codec.read(request.asset()); // refuses corrupt input and duplicate labels before anything is logged
        Asset visible = request.explicit().isPresent()
                ? codec.addExplicit(request.asset(), request.explicit().get())
                : request.asset();
        String contentId = ids.next();
        AigcLabel draft = new AigcLabel("1", producerCode, contentId, Seal.PLACEHOLDER, "", "", "");
        Asset drafted = codec.write(visible, draft);
        byte[] digest = codec.protectedDigest(drafted);

        ProvenanceRecord record = ProvenanceRecord.of(contentId, codec.mediaType(), digest, producerCode,
                safeModel(request.model()), clock.instant(), request.prompt().map(prompts::digest).orElse(""));
        long index = log.append(record).index();

        Seal seal = Seal.sign(labelKey, producerCode, contentId, index, digest);
        AigcLabel sealed = draft.withReservedCode1(seal.encode());
        Asset labelled = codec.write(drafted, sealed);
        if (!Arrays.equals(codec.protectedDigest(labelled), digest)) {
            throw new IllegalStateException("the " + codec.format() + " codec changed the protected digest when "
                    + "the seal replaced its placeholder; the file was not written");
        }
        return new Result(labelled, codec.format(), codec.mediaType(), contentId, index, sealed,
                HexFormat.of().formatHex(digest));
    }

    /**
     * Records an output this flow cannot mark (formats without a codec, such as WebP images): a log entry
     * with the SHA-256 of exactly {@code bytes}, and a sealed label for the caller to return beside
     * the bytes (the API envelope), since the file itself does not carry it. Verify then finds the
     * output by its exact hash.
     */
    public Result record(String name, byte[] bytes, String mediaType, String model, Optional<String> prompt) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String contentId = ids.next();
        ProvenanceRecord record = ProvenanceRecord.of(contentId, mediaType, digest, producerCode, safeModel(model),
                clock.instant(), prompt.map(prompts::digest).orElse(""));
        long index = log.append(record).index();
        Seal seal = Seal.sign(labelKey, producerCode, contentId, index, digest);
        AigcLabel label = new AigcLabel("1", producerCode, contentId, seal.encode(), "", "", "");
        return new Result(Asset.of(name, bytes), "unmarked", mediaType, contentId, index, label,
                HexFormat.of().formatHex(digest));
    }

    private static String safeModel(String model) {
        if (model == null || model.isBlank()) {
            return "unspecified";
        }
        StringBuilder safe = new StringBuilder();
        for (char ch : model.toCharArray()) {
            safe.append(ch > 0x20 && ch < 0x7f ? ch : '_');
        }
        return safe.length() > 256 ? safe.substring(0, 256) : safe.toString();
    }
}
