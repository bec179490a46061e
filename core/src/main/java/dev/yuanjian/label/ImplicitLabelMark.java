package dev.yuanjian.label;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.MetadataKey;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.ledger.TransparencyLog.LoggedEntry;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Binding;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Claim.Role;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Issuance;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.mark.Message;
import dev.yuanjian.mark.Sealing;
import dev.yuanjian.mark.Stage;
import dev.yuanjian.store.SigningKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The implicit (metadata) label of GB 45438-2025 Annex E as a mark: the {@code AIGC} property in
 * every container (XMP {@code TC260:AIGC} in images, with IPTC {@code DigitalSourceType}
 * trainedAlgorithmicMedia), sealed by this service ({@link Seal}) in {@code ReservedCode1} as
 * producer and in {@code ReservedCode2} as propagator.
 *
 * <p>Digests: the producer's digest leaves out {@code ReservedCode1} and the propagator's three
 * fields (a platform adds them later and must not break the producer's seal); the propagator's
 * leaves out only {@code ReservedCode2}. Both are computed by writing the label with those values
 * set to canonical ones (placeholders, empty) and hashing the result ({@code Digests}).
 *
 * <p>Detection tells apart, for each party: issued here and intact, issued here and altered since,
 * claiming this service but failing its seal (forged), and labelled by another party (not checkable
 * here). Labels of other producers are read leniently ({@link AigcLabel#parseLenient}) and their
 * departures from Annex E reported as non-conformities.
 */
public final class ImplicitLabelMark implements Mark {
    public static final String NAME = "gb45438-implicit";
    /** Where the label lives: the key {@code AIGC}; in XMP, {@code TC260:AIGC} (TC260 practice guide). */
    public static final MetadataKey AIGC = new MetadataKey("AIGC", "http://www.tc260.org.cn/ns/AIGC/1.0/", "TC260");
    /** IPTC Photo Metadata {@code Iptc4xmpExt:DigitalSourceType}, written on images beside the label. */
    public static final MetadataKey DIGITAL_SOURCE_TYPE = new MetadataKey("DigitalSourceType",
            "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt");
    public static final String TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private final String producerCode;
    private final boolean producerRegistered;
    private final SigningKey labelKey;
    private final TransparencyLog log;
    /**
     * Labels read recently, by their stored value: one labelling reads the same value several times
     * (digest view, seal, result) and verify twice. Parsed labels are immutable; the map is cleared
     * when it grows past {@link #RECENT_LIMIT}, so it stays small whatever is read.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, AigcLabel.Parsed> recent =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int RECENT_LIMIT = 512;

    /**
     * @param producerCode       this service's code, written as {@code ContentProducer} (and as
     *                           {@code ContentPropagator} when it propagates)
     * @param producerRegistered false while the code is the placeholder; verify then says so
     * @param labelKey           the key seals are made with and checked against
     * @param log                read for the entries seals name
     */
    public ImplicitLabelMark(String producerCode, boolean producerRegistered, SigningKey labelKey, TransparencyLog log) {
        this.producerCode = producerCode;
        this.producerRegistered = producerRegistered;
        this.labelKey = labelKey;
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Stage stage() {
        return Stage.METADATA;
    }

    @Override
    public boolean appliesTo(Container container) {
        return true;
    }

    /** The label in {@code asset}, read leniently; empty when there is none. */
    public Optional<AigcLabel.Parsed> read(Asset asset, Container container) throws FormatException {
        Optional<String> value = container.metadata(asset, AIGC);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        AigcLabel.Parsed known = recent.get(value.get());
        if (known != null) {
            return Optional.of(known);
        }
        AigcLabel.Parsed parsed = AigcLabel.parseLenient(value.get(), where(asset, container));
        if (recent.size() >= RECENT_LIMIT) {
            recent.clear();
        }
        recent.put(value.get(), parsed);
        return Optional.of(parsed);
    }

    /**
     * Writes this producer's label with a placeholder seal. A file that already carries a label of
     * another producer is refused: replacing it would remove that producer's label (Measures Art. 10);
     * a platform adds itself with {@link #propagate} instead. A label of this producer is replaced.
     */
    @Override
    public Asset apply(Asset asset, Container container, Issuance issuance) throws FormatException {
        Optional<AigcLabel.Parsed> existing = read(asset, container);
        if (existing.isPresent() && existing.get().label().hasProducer()
                && !existing.get().label().contentProducer().equals(producerCode)) {
            throw new FormatException(asset.name() + " already carries a GB 45438 label of producer "
                    + existing.get().label().contentProducer() + "; a label is never replaced by another producer's. "
                    + "To add this service as the distributing platform, use propagate");
        }
        AigcLabel draft = new AigcLabel("1", issuance.producer(), issuance.contentId(), Seal.PLACEHOLDER, "", "", "");
        Asset labelled = container.withMetadata(asset, AIGC, draft.toWrappedJson());
        // Every image, whether or not its pixels can be read here (WebP has no raster access).
        if (container.mediaType().startsWith("image/")) {
            labelled = container.withMetadata(labelled, DIGITAL_SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
        }
        // Seal reads the draft back after the log entry exists; if it cannot, the file must be refused
        // now, before anything is logged. A damaged packet can lose it: a container replaces an XMP
        // packet it cannot edit (an element never closed) with a fresh one holding only the last property.
        Optional<AigcLabel.Parsed> written = read(labelled, container);
        if (written.isEmpty() || !written.get().label().equals(draft)) {
            throw new FormatException(asset.name() + ": the label does not read back after it was written: the file's "
                    + "metadata (XMP) is damaged. Remove the metadata (e.g. exiftool -xmp= FILE) or re-save the file, "
                    + "then label it again");
        }
        return labelled;
    }

    @Override
    public Asset digestView(Asset asset, Container container, Binding binding) throws FormatException {
        Optional<AigcLabel.Parsed> parsed = read(asset, container);
        if (parsed.isEmpty()) {
            return asset;
        }
        AigcLabel label = parsed.get().label();
        AigcLabel canonical = binding == Binding.PRODUCER
                ? label.withReservedCode1(label.reservedCode1().isEmpty() ? "" : Seal.PLACEHOLDER).withPropagator("", "", "")
                : label.withReservedCode2(label.reservedCode2().isEmpty() ? "" : Seal.PLACEHOLDER);
        // A label already in canonical form (a draft, or a label nobody propagated) needs no rewrite:
        // a container's rewrite with the same value gives the same bytes.
        return canonical.equals(label) ? asset : container.withMetadata(asset, AIGC, canonical.toWrappedJson());
    }

    @Override
    public Asset seal(Asset asset, Container container, Sealing sealing) throws FormatException {
        AigcLabel draft = require(asset, container);
        Seal seal = Seal.sign(labelKey, Role.PRODUCER, draft, sealing.logIndex(), sealing.digest());
        return container.withMetadata(asset, AIGC, draft.withReservedCode1(seal.encode()).toWrappedJson());
    }

    /**
     * Adds this service as propagator: {@code ContentPropagator}, {@code PropagateID} and a
     * placeholder {@code ReservedCode2}, the producer's fields untouched. A file without a label
     * gets one with {@code level} ("2" possibly, "3" suspected AI-generated) and empty producer fields.
     *
     * @throws FormatException when the file has no label and no level is given, when level is "1"
     *                         for an unlabelled file (only a producer may say "is AI-generated"), or when
     *                         another platform already propagated it
     * @throws IllegalArgumentException when level is not "1", "2" or "3" (callers validate it first)
     */
    public Asset propagate(Asset asset, Container container, String propagateId, Optional<String> level)
            throws FormatException {
        Optional<AigcLabel.Parsed> existing = read(asset, container);
        AigcLabel label;
        if (existing.isPresent()) {
            label = existing.get().label();
            if (!label.contentPropagator().isEmpty() && !label.contentPropagator().equals(producerCode)) {
                throw new FormatException(asset.name() + " was already propagated by " + label.contentPropagator()
                        + "; GB 45438 labels have room for one propagator, and another platform's fields are never "
                        + "replaced (Measures Art. 10)");
            }
            if (level.isPresent() && !level.get().equals(label.label())) {
                throw new FormatException(asset.name() + " already carries Label " + label.label()
                        + " from its producer; a propagator does not change it (leave out the level)");
            }
        } else {
            String l = level.orElseThrow(() -> new FormatException(asset.name() + " carries no GB 45438 label; "
                    + "say how the platform classifies it: level 2 (possibly AI-generated) or 3 (suspected)"));
            if (l.equals("1")) {
                throw new FormatException("an unlabelled file can be labelled by a platform as 2 (possibly) or 3 "
                        + "(suspected AI-generated), not 1: only its producer can say it is AI-generated");
            }
            if (!l.equals("2") && !l.equals("3")) {
                throw new IllegalArgumentException("the level must be 2 (possibly) or 3 (suspected AI-generated), got '"
                        + l + "'");
            }
            label = new AigcLabel(l, "", "", "", "", "", "");
        }
        return container.withMetadata(asset, AIGC, label.withPropagator(producerCode, propagateId, Seal.PLACEHOLDER)
                .toWrappedJson());
    }

    /** Fills in {@code ReservedCode2} once the propagation's log entry exists. */
    public Asset sealPropagation(Asset asset, Container container, long logIndex, byte[] digest) throws FormatException {
        AigcLabel draft = require(asset, container);
        Seal seal = Seal.sign(labelKey, Role.PROPAGATOR, draft, logIndex, digest);
        return container.withMetadata(asset, AIGC, draft.withReservedCode2(seal.encode()).toWrappedJson());
    }

    /** The label in {@code asset}, which must be there. */
    public AigcLabel require(Asset asset, Container container) throws FormatException {
        return read(asset, container).orElseThrow(() -> new FormatException(asset.name() + " lost its label while "
                + "being marked (a later mark removed the AIGC property)")).label();
    }

    @Override
    public Finding detect(Asset asset, Container container, AssetDigests digests) throws FormatException {
        Optional<AigcLabel.Parsed> parsed = read(asset, container);
        if (parsed.isEmpty()) {
            return new LabelFinding(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
        }
        AigcLabel label = parsed.get().label();
        List<Message> notes = new ArrayList<>();
        for (String departure : parsed.get().nonConformities()) {
            notes.add(new Message("non-conformity with GB 45438-2025 Annex E: " + departure,
                    "不符合 GB 45438-2025 附录 E 的写法：" + departure));
        }
        if (label.contentProducer().equals(producerCode) && !producerRegistered) {
            notes.add(new Message("the producer code " + producerCode + " is a placeholder, not a registered service code "
                    + "(set producer.code in config.yaml or YUANJIAN_PRODUCER_CODE)",
                    "生成服务编码 " + producerCode + " 是占位值，并非已备案的服务编码（请在 config.yaml 中设置 producer.code，"
                    + "或设置环境变量 YUANJIAN_PRODUCER_CODE）"));
        }
        Optional<PartyCheck> producer = label.hasProducer()
                ? Optional.of(check(Role.PRODUCER, label, parsed.get().nonConformities(), label.contentProducer(),
                        label.produceId(), label.reservedCode1(),
                        digests.producer(), notes))
                : Optional.empty();
        Optional<PartyCheck> propagator = label.hasPropagator()
                ? Optional.of(check(Role.PROPAGATOR, label, parsed.get().nonConformities(), label.contentPropagator(),
                        label.propagateId(),
                        label.reservedCode2(), digests.propagator(), notes))
                : Optional.empty();
        List<Claim> claims = new ArrayList<>();
        producer.ifPresent(p -> claims.add(p.claim()));
        propagator.ifPresent(p -> claims.add(p.claim()));
        return new LabelFinding(Optional.of(label), producer, propagator, List.copyOf(claims), List.copyOf(notes));
    }

    /** One party's part of a label, judged. */
    public record PartyCheck(Role role, String party, String id, Claim claim, String seal) {
    }

    private PartyCheck check(Role role, AigcLabel label, List<String> spelling, String party, String id,
                             String integrity, byte[] digest, List<Message> notes) {
        String who = role == Role.PRODUCER ? "producer" : "propagator";
        String whoZh = role == Role.PRODUCER ? "生成服务" : "传播平台";
        Optional<Seal> ours = Seal.parse(integrity).filter(x -> x.keyId().equals(Seal.keyId(labelKey.publicKey())));
        if (!party.equals(producerCode) && ours.isPresent()) {
            return forged(role, party, id, "the seal in " + (role == Role.PRODUCER ? "ReservedCode1" : "ReservedCode2")
                            + " is this service's, but the label names " + printable(party) + " as " + who,
                    "签名属于本服务，但标识中的" + whoZh + "为 " + printable(party));
        }
        if (!party.equals(producerCode)) {
            return new PartyCheck(role, party, id, new Claim.LabelledElsewhere(party, role, label.label(), new Message(
                    "the " + who + " " + printable(party) + " is not this service; its integrity data ("
                            + (role == Role.PRODUCER ? "ReservedCode1" : "ReservedCode2") + ") cannot be checked here",
                    whoZh + " " + printable(party) + " 不是本服务，其完整性数据无法在此核验")), "not checkable here");
        }
        if (Seal.isEarlierFormat(integrity)) {
            return new PartyCheck(role, party, id, new Claim.LabelledElsewhere(party, role, label.label(), new Message(
                    "the seal is in this service's earlier format (YJ1), which this version does not check; label the original again",
                    "签名为本服务的早期格式（YJ1），此版本不再核验；请重新为原文件添加标识")), "earlier format (YJ1), not checked");
        }
        if (!spelling.isEmpty()) {
            return forged(role, party, id, "the label names this service as " + who + ", but it is not spelt as this "
                    + "service writes labels (" + spelling.getFirst() + "): it was edited",
                    "标识声称本服务为" + whoZh + "，但其写法与本服务不同（" + spelling.getFirst() + "）：已被修改");
        }
        Optional<Seal> parsed = Seal.parse(integrity);
        if (parsed.isEmpty()) {
            return forged(role, party, id, "the label names this service as " + who + ", but "
                    + (role == Role.PRODUCER ? "ReservedCode1" : "ReservedCode2") + " holds no valid seal of it",
                    "标识声称本服务为" + whoZh + "，但其中没有本服务的有效签名");
        }
        Seal seal = parsed.get();
        if (!seal.keyId().equals(Seal.keyId(labelKey.publicKey()))) {
            return forged(role, party, id, "the seal was made with key " + seal.keyId() + ", which this service does not know",
                    "签名所用密钥 " + seal.keyId() + " 不属于本服务");
        }
        Optional<LoggedEntry> logged = log.entry(seal.logIndex()).filter(e -> e.record().contentId().equals(id));
        if (seal.verifies(labelKey.publicKey(), role, label, digest)) {
            if (logged.isEmpty() || !Arrays.equals(logged.get().record().sha256Bytes(), digest)) {
                return forged(role, party, id, "the seal checks, but the log has no entry " + seal.logIndex()
                                + " for content " + id + " with this content hash",
                        "签名有效，但日志第 " + seal.logIndex() + " 条并非内容 " + id + " 的这一摘要");
            }
            return new PartyCheck(role, party, id, new Claim.Issued(seal.logIndex(), role, true), "checks");
        }
        if (logged.isPresent() && seal.verifies(labelKey.publicKey(), role, label, logged.get().record().sha256Bytes())) {
            notes.add(new Message("the content hash differs from the one logged at index " + seal.logIndex(),
                    "内容摘要与日志第 " + seal.logIndex() + " 条记录的不同"));
            return new PartyCheck(role, party, id, new Claim.Issued(seal.logIndex(), role, false),
                    "checks against the logged content, not this file");
        }
        return forged(role, party, id, "the seal does not match this label and log entry (a sealed field or the content was edited)",
                "签名与此标识及日志记录不符（签名覆盖的字段或内容被修改）");
    }

    private static PartyCheck forged(Role role, String party, String id, String en, String zh) {
        return new PartyCheck(role, party, id, new Claim.Forged(new Message(en, zh)), "does not check");
    }

    private static String printable(String value) {
        return value.isEmpty() ? "(empty)" : value;
    }

    private static String where(Asset asset, Container container) {
        return asset.sidecar().isPresent() ? asset.sidecarName()
                : asset.name() + " (" + container.format() + " metadata " + AIGC.name() + ")";
    }

    /**
     * What detection found: the label (if any) and each party's check. JSON view: the seven fields
     * under {@code aigc}, then {@code producer} and {@code propagator} with their seal results.
     */
    public record LabelFinding(Optional<AigcLabel> label, Optional<PartyCheck> producer,
                               Optional<PartyCheck> propagator, List<Claim> claims, List<Message> notes)
            implements Finding {
        @Override
        public String mark() {
            return NAME;
        }

        @Override
        public boolean present() {
            return label.isPresent();
        }

        @Override
        public Message summary() {
            if (label.isEmpty()) {
                return new Message("no GB 45438 implicit label", "无 GB 45438 隐式标识");
            }
            String level = switch (label.get().label()) {
                case "1" -> "AI-generated";
                case "2" -> "possibly AI-generated";
                default -> "suspected AI-generated";
            };
            String levelZh = switch (label.get().label()) {
                case "1" -> "属于人工智能生成";
                case "2" -> "可能为人工智能生成";
                default -> "疑似为人工智能生成";
            };
            return new Message("GB 45438 implicit label: Label " + label.get().label() + " (" + level + ")",
                    "GB 45438 隐式标识：Label " + label.get().label() + "（" + levelZh + "）");
        }

        @Override
        public List<Fact> facts() {
            if (label.isEmpty()) {
                return List.of();
            }
            AigcLabel l = label.get();
            List<Fact> facts = new ArrayList<>();
            facts.add(new Fact("label", "Label=" + l.label() + " ContentProducer=" + l.contentProducer()
                    + " ProduceID=" + l.produceId()));
            producer.ifPresent(p -> facts.add(new Fact("producer seal", p.seal())));
            if (l.hasPropagator()) {
                facts.add(new Fact("propagator", "ContentPropagator=" + l.contentPropagator() + " PropagateID="
                        + l.propagateId()));
            }
            propagator.ifPresent(p -> facts.add(new Fact("propagator seal", p.seal())));
            return facts;
        }

        @Override
        public Object view() {
            Map<String, Object> view = new java.util.LinkedHashMap<>();
            view.put("aigc", label.map(AigcLabel::asMap).orElse(null));
            producer.ifPresent(p -> view.put("producer", partyView(p)));
            propagator.ifPresent(p -> view.put("propagator", partyView(p)));
            return view;
        }

        private static Map<String, Object> partyView(PartyCheck p) {
            Map<String, Object> v = new java.util.LinkedHashMap<>();
            v.put("code", p.party());
            v.put("id", p.id());
            v.put("seal", p.seal());
            v.put("claim", switch (p.claim()) {
                case Claim.Issued i -> i.intact() ? "issued here, intact" : "issued here, altered since";
                case Claim.Forged f -> "forged";
                case Claim.LabelledElsewhere e -> "labelled elsewhere";
                case Claim.Traced t -> "traced by " + t.mark();
            });
            return v;
        }
    }
}
