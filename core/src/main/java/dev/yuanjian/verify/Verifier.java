package dev.yuanjian.verify;

import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.Asset;
import dev.yuanjian.label.Codecs;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.label.LabelCodec;
import dev.yuanjian.label.LabelFormatException;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.ledger.TransparencyLog.LoggedEntry;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a file's labels and tells whether it is labelled and intact, labelled but altered, carrying
 * a forged label, or unlabelled.
 *
 * <p>The seal in {@code ReservedCode1} decides between the first three: it must check against this
 * producer's key over the file's protected digest (intact) or over the digest the log recorded for
 * the label's content id (altered: the label is ours, the file is not what we issued). Anything
 * else is forged.
 */
public final class Verifier {
    private final Codecs codecs;
    private final TransparencyLog log;
    private final byte[] labelPublicKey;
    private final String producerCode;
    private final ExplicitLabel explicit;
    private final boolean producerRegistered;

    public Verifier(Codecs codecs, TransparencyLog log, byte[] labelPublicKey, String producerCode,
                    boolean producerRegistered, ExplicitLabel explicit) {
        this.codecs = codecs;
        this.log = log;
        this.labelPublicKey = labelPublicKey.clone();
        this.producerCode = producerCode;
        this.producerRegistered = producerRegistered;
        this.explicit = explicit;
    }

    public Report verify(Asset asset) throws LabelFormatException {
        LabelCodec codec = codecs.detect(asset.name(), asset.bytes());
        Optional<AigcLabel> label = codec.read(asset);
        byte[] digest = codec.protectedDigest(asset);
        byte[] exact = sha256(asset.bytes());
        boolean explicitPresent = codec.hasExplicit(asset, explicit);
        List<Message> notes = new ArrayList<>();
        Verdict verdict = label.isEmpty()
                ? unlabelled(exact, digest)
                : judge(label.get(), digest, notes);
        if (label.isPresent() && label.get().contentProducer().equals(producerCode) && !producerRegistered) {
            notes.add(new Message("the producer code " + producerCode + " is a placeholder, not a registered service code "
                    + "(set producer.code in config.yaml or YUANJIAN_PRODUCER_CODE)",
                    "生成服务编码 " + producerCode + " 是占位值，并非已备案的服务编码（请在 config.yaml 中设置 producer.code，"
                    + "或设置环境变量 YUANJIAN_PRODUCER_CODE）"));
        }
        if (label.isPresent() && !explicitPresent) {
            notes.add(new Message("no explicit (visible) label found in the content", "内容中未发现显式标识"));
        }
        return new Report(asset.name(), codec.format(), codec.mediaType(), label, explicitPresent,
                HexFormat.of().formatHex(exact), HexFormat.of().formatHex(digest), verdict, List.copyOf(notes));
    }

    private Verdict unlabelled(byte[] exact, byte[] digest) {
        Map<Long, LoggedEntry> known = new LinkedHashMap<>();
        for (LoggedEntry entry : log.findBySha256(exact)) {
            known.put(entry.index(), entry);
        }
        if (!Arrays.equals(exact, digest)) {
            for (LoggedEntry entry : log.findBySha256(digest)) {
                known.put(entry.index(), entry);
            }
        }
        return new Verdict.Unlabelled(List.copyOf(known.values()));
    }

    private Verdict judge(AigcLabel label, byte[] digest, List<Message> notes) {
        if (!label.contentProducer().equals(producerCode)) {
            return forged("the label names producer " + printable(label.contentProducer())
                    + ", not this service (" + producerCode + "); it cannot be checked here",
                    "标识中的生成服务为 " + printable(label.contentProducer()) + "，不是本服务（" + producerCode + "），无法在此核验");
        }
        Optional<Seal> parsed = Seal.parse(label.reservedCode1());
        if (parsed.isEmpty()) {
            return forged("ReservedCode1 holds no valid seal of this service", "ReservedCode1 中没有本服务的有效签名");
        }
        Seal seal = parsed.get();
        if (!seal.keyId().equals(Seal.keyId(labelPublicKey))) {
            return forged("the seal was made with key " + seal.keyId() + ", which this service does not know",
                    "签名所用密钥 " + seal.keyId() + " 不属于本服务");
        }
        Optional<LoggedEntry> logged = log.entry(seal.logIndex())
                .filter(e -> e.record().contentId().equals(label.produceId()));
        if (seal.verifies(labelPublicKey, label.contentProducer(), label.produceId(), digest)) {
            if (logged.isEmpty() || !Arrays.equals(logged.get().record().sha256Bytes(), digest)) {
                return forged("the seal checks, but the log has no entry " + seal.logIndex()
                        + " for content " + label.produceId() + " with this content hash",
                        "签名有效，但日志第 " + seal.logIndex() + " 条并非内容 " + label.produceId() + " 的这一摘要");
            }
            return withProof(logged.get(), true);
        }
        if (logged.isPresent() && seal.verifies(labelPublicKey, label.contentProducer(), label.produceId(),
                logged.get().record().sha256Bytes())) {
            notes.add(new Message("the content hash differs from the one logged at index " + seal.logIndex(),
                    "内容摘要与日志第 " + seal.logIndex() + " 条记录的不同"));
            return withProof(logged.get(), false);
        }
        return forged("the seal does not match this label and log entry", "签名与此标识及日志记录不符");
    }

    private static Verdict forged(String en, String zh) {
        return new Verdict.Forged(new Message(en, zh));
    }

    private Verdict withProof(LoggedEntry entry, boolean intact) {
        TransparencyLog.SignedCheckpoint checkpoint = log.checkpointCovering(entry.index());
        TransparencyLog.InclusionProof proof = log.inclusionProof(entry.index(), checkpoint.size());
        return intact
                ? new Verdict.Intact(entry, proof, checkpoint)
                : new Verdict.Altered(entry, proof, checkpoint);
    }

    private static String printable(String value) {
        return value.isEmpty() ? "(empty)" : value;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
