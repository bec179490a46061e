package dev.yuanjian.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ManifestSlot;
import dev.yuanjian.container.MetadataKey;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Binding;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Issuance;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.mark.Message;
import dev.yuanjian.mark.Sealing;
import dev.yuanjian.mark.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * C2PA Content Credentials as a mark: a manifest store whose claim says the content was created by
 * a trained algorithmic model, binds the finished bytes with {@code c2pa.hash.data}, and carries
 * the GB 45438 label and the log entry ({@value ManifestStore#GB45438}). Last in the order
 * ({@link Stage#BINDING}): its data hash covers every other mark.
 *
 * <p>The store is left out of every digest ({@link #digestView} removes it), so {@link #seal} can
 * rebuild it with the log entry's index once that exists. An image that already has Content
 * Credentials keeps them: their manifests stay in the store as they were, and the new manifest
 * names the previous active one as its {@code parentOf} ingredient, with the actions
 * {@code c2pa.opened} and {@code c2pa.edited}, so the history still validates. A store that cannot
 * be parsed cannot be an ingredient and is replaced. With a {@link TimeStamper}, every signature
 * carries the TSA's RFC 3161 token (docs/c2pa.md, "Time-stamps", for what happens when it fails).
 */
public final class C2paMark implements Mark {
    public static final String NAME = "c2pa";

    private static final System.Logger LOG = System.getLogger(C2paMark.class.getName());

    private final CredentialSource credentials;
    private final MetadataKey labelKey;
    private final String version;
    private final Clock clock;
    private final Optional<TimeStamper> stamper;

    /** Content Credentials signed without a time-stamp. */
    public C2paMark(CredentialSource credentials, MetadataKey labelKey, String version, Clock clock) {
        this(credentials, labelKey, version, clock, Optional.empty());
    }

    /**
     * @param credentials the signer of new manifests and the trust anchors of verify, asked on first use
     * @param labelKey    where the GB 45438 metadata label lives, copied into the manifest
     * @param version     this product's version, for {@code claim_generator_info}
     * @param stamper     the Time-Stamp Authority that time-stamps every signature, if the deployment names one
     */
    public C2paMark(CredentialSource credentials, MetadataKey labelKey, String version, Clock clock,
                    Optional<TimeStamper> stamper) {
        this.credentials = credentials;
        this.labelKey = labelKey;
        this.version = version;
        this.clock = clock;
        this.stamper = stamper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Stage stage() {
        return Stage.BINDING;
    }

    /** A request may leave Content Credentials out; the GB 45438 label stays. */
    @Override
    public boolean optional() {
        return true;
    }

    @Override
    public boolean appliesTo(Container container) {
        return container.manifestSlot().isPresent();
    }

    /**
     * The manifest before the log entry exists, time-stamped like the final one: a TSA that is down or
     * refusing stops the labelling here, before the log records anything.
     *
     * @throws UncheckedIOException wrapping a {@link TimeStamper.TimeStampException} naming the TSA
     */
    @Override
    public Asset apply(Asset asset, Container container, Issuance issuance) throws FormatException {
        try {
            return embed(asset, container, issuance, Optional.empty(), stamper);
        } catch (TimeStamper.TimeStampException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Left out ({@code --no-c2pa}): an earlier store is removed, since labelling changes the file and
     * its data hash would no longer match (validators would call the image tampered with).
     */
    @Override
    public Asset omitted(Asset asset, Container container) throws FormatException {
        return slot(container).remove(asset);
    }

    @Override
    public Asset digestView(Asset asset, Container container, Binding binding) throws FormatException {
        return slot(container).remove(asset);
    }

    /**
     * The final manifest, naming the log entry. The entry exists now, so a TSA that fails here (it
     * answered moments ago, at {@link #apply}) does not fail the labelling: the manifest is signed
     * without a time-stamp, still valid, and the failure is logged as a warning.
     */
    @Override
    public Asset seal(Asset asset, Container container, Sealing sealing) throws FormatException {
        return stampedOrNot(sealing, s -> embed(asset, container, sealing.issuance(), Optional.of(sealing), s));
    }

    private interface Embedding {
        Asset embed(Optional<TimeStamper> stamper) throws FormatException, TimeStamper.TimeStampException;
    }

    private Asset stampedOrNot(Sealing sealing, Embedding embedding) throws FormatException {
        try {
            return embedding.embed(stamper);
        } catch (TimeStamper.TimeStampException e) {
            LOG.log(System.Logger.Level.WARNING, "log entry " + sealing.logIndex()
                    + ": C2PA manifest signed without a time-stamp: " + e.getMessage());
            try {
                return embedding.embed(Optional.empty());
            } catch (TimeStamper.TimeStampException impossible) {
                throw new IllegalStateException("no Time-Stamp Authority was asked", impossible);
            }
        }
    }

    /**
     * A propagated image that has Content Credentials gets a new manifest naming the previous one as
     * its parent ({@code c2pa.edited}: propagator fields added), so the history still validates
     * after the metadata changed. An image without them, or with a store nobody can read, is left
     * as it is: a propagator does not create credentials for content it did not make.
     */
    @Override
    public Asset afterPropagation(Asset asset, Container container, Sealing sealing) throws FormatException {
        ManifestSlot slot = slot(container);
        Optional<byte[]> present;
        Optional<ManifestStore.History> history;
        try {
            present = slot.read(asset);
            history = present.isEmpty() ? Optional.empty()
                    : Optional.of(ManifestStore.parentOf(present.get(), container.mediaType()));
        } catch (FormatException | IllegalArgumentException unreadable) {
            return asset;
        }
        if (history.isEmpty()) {
            return asset;
        }
        Asset bare = slot.remove(asset);
        ManifestStore.Content content = new ManifestStore.Content(asset.name(), "Yuanjian", version,
                gb45438(bare, container, sealing.issuance(), Optional.of(sealing)),
                "propagated: GB 45438-2025 propagator fields added");
        SignerCredentials signer = read(credentials::signer);
        Optional<ManifestStore.History> parent = history;
        return stampedOrNot(sealing, s -> ManifestStore.embedSigned(bare, slot, content, signer, parent, s).asset());
    }

    private Map<String, Object> gb45438(Asset bare, Container container, Issuance issuance, Optional<Sealing> sealing)
            throws FormatException {
        Map<String, Object> gb = new LinkedHashMap<>();
        gb.put("contentId", issuance.contentId());
        gb.put("producer", issuance.producer());
        gb.put("model", issuance.model());
        container.metadata(bare, labelKey).ifPresent(label -> gb.put("label", label));
        sealing.ifPresent(s -> {
            gb.put("logIndex", s.logIndex());
            gb.put("digest", HexFormat.of().formatHex(s.digest()));
        });
        return gb;
    }

    private Asset embed(Asset asset, Container container, Issuance issuance, Optional<Sealing> sealing,
                        Optional<TimeStamper> stamper) throws FormatException, TimeStamper.TimeStampException {
        SignerCredentials signer = read(credentials::signer);
        ManifestSlot slot = slot(container);
        Optional<ManifestStore.History> history = Optional.empty();
        try {
            Optional<byte[]> present = slot.read(asset);
            if (present.isPresent()) {
                // At apply the store is another producer's, kept as the parent; at seal it is the one
                // apply wrote, whose history is carried over as it is.
                history = sealing.isEmpty() ? Optional.of(ManifestStore.parentOf(present.get(), container.mediaType()))
                        : ManifestStore.carriedIn(present.get());
            }
        } catch (FormatException | IllegalArgumentException unreadable) {
            // A store nobody can read (cut short, packets repeated, not JUMBF) cannot be an ingredient; it is replaced.
        }
        Asset bare = slot.remove(asset);
        ManifestStore.Content content = new ManifestStore.Content(asset.name(), "Yuanjian", version,
                gb45438(bare, container, issuance, sealing));
        return ManifestStore.embedSigned(bare, slot, content, signer, history, stamper).asset();
    }

    @Override
    public Finding detect(Asset asset, Container container, AssetDigests digests) throws FormatException {
        Optional<byte[]> store;
        try {
            store = slot(container).read(asset);
        } catch (FormatException e) {
            // A damaged store is a finding about the store, not a reason to stop reading the file.
            return new CredentialsFinding(Optional.empty(), Optional.of(e.getMessage()));
        }
        if (store.isEmpty()) {
            return new CredentialsFinding(Optional.empty(), Optional.empty());
        }
        try {
            return new CredentialsFinding(Optional.of(ManifestStore.validate(store.get(), asset.bytes(), read(credentials::trustAnchors),
                    read(credentials::timeStampAnchors), clock.instant())), Optional.empty());
        } catch (IllegalArgumentException e) {
            return new CredentialsFinding(Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    private interface Read<T> {
        T get() throws IOException;
    }

    /** The key file could not be read: not a fault of the asset, so not a FormatException. */
    private static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ManifestSlot slot(Container container) {
        return container.manifestSlot().orElseThrow(() -> new IllegalArgumentException(
                container.format() + " files carry no C2PA manifest; ask appliesTo() first"));
    }

    /**
     * What verify found of Content Credentials: a validated manifest, a store that cannot be read
     * ({@code unreadable}), or nothing. JSON view: {@code {"present", "valid", "trusted", "manifest",
     * "generator", "signer", "signatureValid", "assertionsMatch", "dataHashMatch", "ingredients",
     * "timeStamp": {"time", "tsa", "validated", "trusted"} (when the signature has one), "gb45438", "problems"}}.
     */
    record CredentialsFinding(Optional<ManifestStore.Validation> validation, Optional<String> unreadable)
            implements Finding {
        @Override
        public String mark() {
            return NAME;
        }

        @Override
        public boolean present() {
            return validation.isPresent() || unreadable.isPresent();
        }

        @Override
        public Message summary() {
            if (unreadable.isPresent()) {
                return new Message("C2PA manifest store present but unreadable", "C2PA 内容凭证：无法读取");
            }
            if (validation.isEmpty()) {
                return new Message("no C2PA Content Credentials", "C2PA 内容凭证：无");
            }
            ManifestStore.Validation v = validation.get();
            if (!v.valid()) {
                return new Message("C2PA Content Credentials present but invalid", "C2PA 内容凭证：有，但校验不通过");
            }
            return v.trusted()
                    ? new Message("C2PA Content Credentials valid and trusted", "C2PA 内容凭证：有效，签名者可信")
                    : new Message("C2PA Content Credentials valid, signer not trusted here",
                            "C2PA 内容凭证：有效，签名者不在本服务的信任列表中");
        }

        @Override
        public List<Fact> facts() {
            if (validation.isEmpty()) {
                return List.of();
            }
            ManifestStore.Validation v = validation.get();
            List<Fact> facts = new ArrayList<>();
            facts.add(new Fact("manifest", v.manifest()));
            facts.add(new Fact("generator", v.generator()));
            facts.add(new Fact("signer", v.signer()));
            facts.add(new Fact("data hash", v.dataHashMatch().map(m -> m ? "match" : "mismatch").orElse("none")));
            v.timeStamp().ifPresent(t -> facts.add(new Fact("time-stamp", t.time().map(Object::toString).orElse("unreadable")
                    + (t.tsa().isEmpty() ? "" : " by " + t.tsa()) + " ("
                    + (!t.validated() ? "does not check" : t.trusted() ? "valid, TSA trusted" : "valid, TSA not trusted here")
                    + ")")));
            if (!v.ingredients().isEmpty()) {
                facts.add(new Fact("parent", String.join(", ", v.ingredients())));
            }
            return facts;
        }

        @Override
        public List<Message> notes() {
            List<Message> notes = new ArrayList<>();
            unreadable.ifPresent(reason -> notes.add(new Message("C2PA manifest store cannot be read: " + reason,
                    "C2PA 清单存储无法读取：" + reason)));
            validation.ifPresent(v -> v.problems().forEach(p -> notes.add(new Message("C2PA: " + p, "C2PA：" + p))));
            return notes;
        }

        @Override
        public List<Claim> claims() {
            return List.of();
        }

        @Override
        public Object view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("present", present());
            unreadable.ifPresent(reason -> view.put("unreadable", reason));
            validation.ifPresent(v -> {
                view.put("valid", v.valid());
                view.put("trusted", v.trusted());
                view.put("manifest", v.manifest());
                view.put("generator", v.generator());
                v.title().ifPresent(t -> view.put("title", t));
                view.put("signer", v.signer());
                view.put("signatureValid", v.signatureValid());
                view.put("assertionsMatch", v.assertionsMatch());
                view.put("dataHashMatch", v.dataHashMatch().orElse(null));
                view.put("ingredients", v.ingredients());
                v.timeStamp().ifPresent(t -> {
                    Map<String, Object> ts = new LinkedHashMap<>();
                    ts.put("time", t.time().map(Object::toString).orElse(null));
                    ts.put("tsa", t.tsa());
                    ts.put("validated", t.validated());
                    ts.put("trusted", t.trusted());
                    view.put("timeStamp", ts);
                });
                v.gb45438().ifPresent(g -> view.put("gb45438", (JsonNode) g));
                view.put("problems", v.problems());
            });
            return view;
        }
    }
}
