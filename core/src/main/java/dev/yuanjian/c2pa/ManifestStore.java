package dev.yuanjian.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ManifestSlot;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writing and reading a C2PA manifest store (C2PA 2.2): one manifest with a v2 claim
 * ({@code c2pa.claim.v2}), the assertions {@code c2pa.actions.v2} (created, by a trained
 * algorithmic model), {@code c2pa.hash.data} (the hard binding) and {@value #GB45438} (the GB
 * 45438 label and the log entry), signed with ES256 ({@link Cose}).
 *
 * <p><b>Writing</b> follows the order the specification's binding forces: the data hash excludes
 * exactly the bytes the store occupies once framed, and the store records that range. The range is
 * settled by sizing the store (its hash, signature and integers have fixed widths) and asking the
 * container where it would go ({@link ManifestSlot#place}, no copy of the file); the store of that
 * size is embedded once to hash the file outside it; then the claim is built over the assertions'
 * hashes, signed once, and the store embedded for good.
 *
 * <p><b>Reading</b> checks what a validator checks of the active (last) manifest: every assertion the
 * claim lists is there and hashes as the claim says (section 10.3.1), the data hash matches the file
 * outside its exclusions (18.5), the COSE signature verifies with the signer certificate's key, and
 * the chain leads to one of the given trust anchors, and the signature's RFC 3161 time-stamp, if
 * any, checks ({@link TimeStamps}). It does not evaluate redactions or revocation.
 */
final class ManifestStore {
    static final String GB45438 = "dev.yuanjian.gb45438";
    static final String ACTIONS = "c2pa.actions.v2";
    static final String DATA_HASH = "c2pa.hash.data";
    static final String CLAIM_V2 = "c2pa.claim.v2";
    static final String CLAIM_V1 = "c2pa.claim";
    static final String SIGNATURE = "c2pa.signature";
    static final String ASSERTIONS = "c2pa.assertions";
    static final String TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private static final CBORMapper CBOR = new CBORMapper();
    private static final int MAX_ROUNDS = 8;

    private ManifestStore() {
    }

    static final String INGREDIENT = "c2pa.ingredient.v3";

    /**
     * What a new store keeps of an earlier one (C2PA 2.2, section 10.3.2.3 and 11.1): its
     * manifests as they were (raw JUMBF boxes, so their hashes and signatures stay valid), and the
     * {@value #INGREDIENT} assertion naming its active manifest as the new manifest's
     * {@code parentOf} ingredient.
     */
    record History(List<byte[]> manifests, byte[] ingredient) {
    }

    /**
     * The history to keep when embedding over another producer's {@code store}: all its manifests, and
     * an ingredient for its active manifest carrying the results of checking it here (signature,
     * assertion hashes; its data hash is not among them, as the file has changed since by design).
     *
     * @throws IllegalArgumentException when the store cannot be parsed
     */
    static History parentOf(byte[] store, String mediaType) {
        Jumbf.Node root = Jumbf.parse(store);
        List<Jumbf.Node> manifests = manifests(root);
        Jumbf.Node parent = manifests.get(manifests.size() - 1);
        Validation v = validateManifest(store, parent, new byte[0], List.of(), List.of(), Instant.EPOCH, false);
        String manifestUrl = "self#jumbf=/c2pa/" + parent.label();
        Jumbf.Node signature = parent.child(SIGNATURE).orElseThrow();
        List<Map<String, Object>> success = new ArrayList<>();
        List<Map<String, Object>> failure = new ArrayList<>();
        (v.signatureValid() ? success : failure).add(status(v.signatureValid() ? "claimSignature.validated"
                : "claimSignature.mismatch", manifestUrl + "/" + SIGNATURE, v.signatureValid()
                ? "claim signature valid" : "claim signature does not verify"));
        (v.assertionsMatch() ? success : failure).add(status(v.assertionsMatch() ? "assertion.hashedURI.match"
                : "assertion.hashedURI.mismatch", manifestUrl + "/" + ASSERTIONS, v.assertionsMatch()
                ? "every assertion matches its hash in the claim" : String.join("; ", v.problems())));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("success", success);
        results.put("informational", List.of());
        results.put("failure", failure);
        Map<String, Object> ingredient = new LinkedHashMap<>();
        ingredient.put("dc:title", v.title().orElse("parent"));
        ingredient.put("dc:format", mediaType);
        ingredient.put("relationship", "parentOf");
        v.instanceId().ifPresent(id -> ingredient.put("instanceID", id));
        ingredient.put("activeManifest", hashedUri(manifestUrl, sha256(store, parent.start() + 8, parent.end())));
        ingredient.put("claimSignature", hashedUri(manifestUrl + "/" + SIGNATURE,
                sha256(store, signature.start() + 8, signature.end())));
        ingredient.put("validationResults", Map.of("activeManifest", results));
        List<byte[]> kept = new ArrayList<>();
        for (Jumbf.Node m : manifests) {
            kept.add(Arrays.copyOfRange(store, m.start(), m.end()));
        }
        return new History(List.copyOf(kept), assertion(INGREDIENT, ingredient));
    }

    /** The history a store written by {@link #embedSigned} already carries: every manifest before its own, and its ingredient. */
    static Optional<History> carriedIn(byte[] store) {
        Jumbf.Node root = Jumbf.parse(store);
        List<Jumbf.Node> manifests = manifests(root);
        if (manifests.size() < 2) {
            return Optional.empty();
        }
        Jumbf.Node own = manifests.get(manifests.size() - 1);
        Jumbf.Node ingredient = own.child(ASSERTIONS).flatMap(a -> a.child(INGREDIENT)).orElseThrow(
                () -> new IllegalArgumentException("the manifest store holds earlier manifests but no ingredient names them"));
        List<byte[]> kept = new ArrayList<>();
        for (Jumbf.Node m : manifests.subList(0, manifests.size() - 1)) {
            kept.add(Arrays.copyOfRange(store, m.start(), m.end()));
        }
        return Optional.of(new History(List.copyOf(kept), Arrays.copyOfRange(store, ingredient.start(), ingredient.end())));
    }

    private static Map<String, Object> status(String code, String url, String explanation) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("code", code);
        status.put("url", url);
        status.put("explanation", explanation);
        return status;
    }

    private static Map<String, Object> hashedUri(String url, byte[] hash) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("url", url);
        ref.put("alg", "sha256");
        ref.put("hash", hash);
        return ref;
    }

    /** What this producer says in its manifest; {@code gb45438} is the custom assertion's map. */
    record Content(String title, String generator, String generatorVersion, Map<String, Object> gb45438, String edit) {
        /** {@code edit}: what this producer did to an asset that had Content Credentials ({@code c2pa.edited}'s description). */
        Content(String title, String generator, String generatorVersion, Map<String, Object> gb45438) {
            this(title, generator, generatorVersion, gb45438, "labelled as AI-generated content (GB 45438-2025)");
        }
    }

    /**
     * {@code asset} (without a store) with a signed store embedded through {@code slot}.
     *
     * @throws FormatException when the container cannot carry the store
     */
    static ManifestSlot.Embedded embedSigned(Asset asset, ManifestSlot slot, Content content, SignerCredentials signer)
            throws FormatException {
        return embedSigned(asset, slot, content, signer, Optional.empty());
    }

    /** As {@link #embedSigned(Asset, ManifestSlot, Content, SignerCredentials)}, keeping {@code history} before the new manifest. */
    static ManifestSlot.Embedded embedSigned(Asset asset, ManifestSlot slot, Content content, SignerCredentials signer,
                                             Optional<History> history) throws FormatException {
        try {
            return embedSigned(asset, slot, content, signer, history, Optional.empty());
        } catch (TimeStamper.TimeStampException e) {
            throw new IllegalStateException("no Time-Stamp Authority was asked", e);
        }
    }

    /**
     * Room for a time-stamp token and its pad, in bytes: a TSA's token with its certificate chain is
     * 2 to 7 KB (c2pa-rs reserves 10,000). A larger token has the store sized again to fit it.
     */
    static final int TIME_STAMP_RESERVE = 10_240;
    private static final int MAX_TIME_STAMP_RESERVE = 65_535;

    /**
     * As {@link #embedSigned(Asset, ManifestSlot, Content, SignerCredentials, Optional)}, the signature
     * time-stamped by {@code stamper} when given ({@value Cose#SIG_TST2}).
     *
     * @throws TimeStamper.TimeStampException when the TSA fails
     */
    static ManifestSlot.Embedded embedSigned(Asset asset, ManifestSlot slot, Content content, SignerCredentials signer,
                                             Optional<History> history, Optional<TimeStamper> stamper)
            throws FormatException, TimeStamper.TimeStampException {
        int reserve = stamper.isPresent() ? TIME_STAMP_RESERVE : 0;
        try {
            return embedSigned(asset, slot, content, signer, history, stamper, reserve);
        } catch (Cose.TokenTooLarge large) {
            // A token is larger than most (a long certificate chain): size the store for it, and
            // some slack, since the next token's signature and time may take a few bytes more.
            int needed = large.needed + Cose.MIN_PAD + 1024;
            if (needed > MAX_TIME_STAMP_RESERVE) {
                throw new TimeStamper.TimeStampException("the Time-Stamp Authority " + stamper.get().name() + " sent a "
                        + large.needed + "-byte token; more than " + (MAX_TIME_STAMP_RESERVE - Cose.MIN_PAD)
                        + " bytes is not written into a manifest", large);
            }
            return embedSigned(asset, slot, content, signer, history, stamper, needed);
        }
    }

    private static ManifestSlot.Embedded embedSigned(Asset asset, ManifestSlot slot, Content content, SignerCredentials signer,
                                                     Optional<History> history, Optional<TimeStamper> stamper, int reserve)
            throws FormatException, TimeStamper.TimeStampException {
        String manifest = "urn:c2pa:" + UUID.randomUUID();
        String instance = "xmp:iid:" + UUID.randomUUID();
        byte[] zero = new byte[32];
        long start = 0;
        long length = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            // Sizing rounds leave the hash zero and the signature blank: both have fixed widths, and
            // a time-stamp is padded to its reserve.
            Signing blank = new Signing(signer, Optional.empty(), reserve);
            byte[] sized = build(manifest, instance, content, start, length, zero, blank, false, history);
            ManifestSlot.Placement at = slot.place(asset, sized.length);
            if (at.start() == start && at.length() == length) {
                // The file as it will be outside the store (a container may rewrite a size field there).
                ManifestSlot.Embedded trial = slot.embed(asset, sized);
                byte[] hash = dataHash(trial.asset().bytes(), List.of(new long[] {start, length}));
                ManifestSlot.Embedded done = slot.embed(asset, build(manifest, instance, content, start, length, hash,
                        new Signing(signer, stamper, reserve), true, history));
                if (trial.start() != start || trial.length() != length || done.start() != start || done.length() != length) {
                    throw new IllegalStateException("the manifest store was embedded at " + done.start() + " (+" + done.length()
                            + "), not where it was placed (" + start + " +" + length + ")");
                }
                return done;
            }
            start = at.start();
            length = at.length();
        }
        throw new IllegalStateException("the manifest store's size did not settle in " + MAX_ROUNDS + " rounds");
    }

    /** Who signs, who time-stamps (if anyone), and the room reserved for the token (0: none). */
    private record Signing(SignerCredentials signer, Optional<TimeStamper> stamper, int reserve) {
        byte[] cose(byte[] claim, boolean sign) throws TimeStamper.TimeStampException {
            if (!sign) {
                return Cose.blank(claim, signer, reserve);
            }
            return stamper.isPresent() ? Cose.sign(claim, signer, stamper.get(), reserve) : Cose.sign(claim, signer);
        }
    }

    private static byte[] build(String manifest, String instance, Content content, long start, long length, byte[] hash,
                                Signing signer, boolean sign, Optional<History> history)
            throws TimeStamper.TimeStampException {
        List<Map<String, Object>> steps = new ArrayList<>();
        if (history.isPresent()) {
            // An image with Content Credentials was opened (its manifest the parentOf ingredient) and labelled.
            Map<String, Object> opened = new LinkedHashMap<>();
            opened.put("action", "c2pa.opened");
            opened.put("parameters", Map.of("ingredients", List.of(hashedUri("self#jumbf=" + ASSERTIONS + "/" + INGREDIENT,
                    sha256(history.get().ingredient(), 8, history.get().ingredient().length)))));
            steps.add(opened);
            Map<String, Object> edited = new LinkedHashMap<>();
            edited.put("action", "c2pa.edited");
            edited.put("description", content.edit());
            edited.put("softwareAgent", Map.of("name", content.generator()));
            steps.add(edited);
        } else {
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("action", "c2pa.created");
            created.put("digitalSourceType", TRAINED_ALGORITHMIC_MEDIA);
            created.put("softwareAgent", Map.of("name", content.generator()));
            steps.add(created);
        }
        Map<String, Object> actions = Map.of("actions", steps);

        Map<String, Object> exclusion = new LinkedHashMap<>();
        exclusion.put("start", start);
        exclusion.put("length", length);
        Map<String, Object> dataHash = new LinkedHashMap<>();
        dataHash.put("exclusions", List.of(exclusion));
        dataHash.put("name", "jumbf manifest");
        dataHash.put("alg", "sha256");
        dataHash.put("hash", hash);
        dataHash.put("pad", new byte[0]);

        List<byte[]> assertions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (history.isPresent()) {
            assertions.add(history.get().ingredient());
            labels.add(INGREDIENT);
        }
        assertions.addAll(List.of(assertion(ACTIONS, actions), assertion(DATA_HASH, dataHash),
                assertion(GB45438, content.gb45438())));
        labels.addAll(List.of(ACTIONS, DATA_HASH, GB45438));
        List<Map<String, Object>> references = new ArrayList<>();
        for (int i = 0; i < assertions.size(); i++) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("url", "self#jumbf=" + ASSERTIONS + "/" + labels.get(i));
            ref.put("hash", sha256(assertions.get(i), 8, assertions.get(i).length));
            references.add(ref);
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("instanceID", instance);
        claim.put("claim_generator_info", Map.of("name", content.generator(), "version", content.generatorVersion()));
        claim.put("signature", "self#jumbf=" + SIGNATURE);
        claim.put("created_assertions", references);
        claim.put("alg", "sha256");
        claim.put("dc:title", content.title());
        byte[] claimCbor = cbor(claim);

        byte[] assertionStore = Jumbf.superbox(Jumbf.c2paType("c2as"), ASSERTIONS, assertions);
        byte[] claimBox = Jumbf.superbox(Jumbf.c2paType("c2cl"), CLAIM_V2, List.of(Jumbf.box("cbor", claimCbor)));
        byte[] signatureBox = Jumbf.superbox(Jumbf.c2paType("c2cs"), SIGNATURE,
                List.of(Jumbf.box("cbor", signer.cose(claimCbor, sign))));
        byte[] manifestBox = Jumbf.superbox(Jumbf.c2paType("c2ma"), manifest, List.of(assertionStore, claimBox, signatureBox));
        List<byte[]> manifests = new ArrayList<>(history.map(History::manifests).orElse(List.of()));
        manifests.add(manifestBox);
        return Jumbf.superbox(Jumbf.c2paType("c2pa"), "c2pa", manifests);
    }

    private static byte[] assertion(String label, Map<String, Object> value) {
        return Jumbf.superbox(Jumbf.c2paType("cbor"), label, List.of(Jumbf.box("cbor", cbor(value))));
    }

    /**
     * What the active manifest of a store says and whether it holds.
     *
     * @param manifest         the active manifest's label ({@code urn:c2pa:...})
     * @param instanceId       the claim's {@code instanceID}, if any
     * @param generator        {@code claim_generator_info.name} (or v1's {@code claim_generator})
     * @param title            {@code dc:title}, if any
     * @param signer           the signer certificate's subject
     * @param signatureValid   the COSE signature verifies over the claim
     * @param assertionsMatch  every assertion the claim lists is present and hashes as listed
     * @param dataHashMatch    the data hash matches the file (empty: no {@code c2pa.hash.data}, or not checked)
     * @param trusted          the chain leads to a trust anchor and every certificate is in its validity period at
     *                         the signing time: the time-stamp's when it is validated and its TSA trusted, else now
     * @param ingredients      labels of the earlier manifests this one names as ingredients and finds intact in the store
     * @param gb45438          this producer's GB 45438 assertion, if present, as JSON
     * @param timeStamp        the signature's RFC 3161 time-stamp, if it has one
     * @param problems         what failed, one sentence each (a time-stamp that does not check among them,
     *                         though it leaves the manifest valid: C2PA treats time-stamp failures as informational)
     */
    record Validation(String manifest, Optional<String> instanceId, String generator, Optional<String> title, String signer,
                      boolean signatureValid, boolean assertionsMatch, Optional<Boolean> dataHashMatch, boolean trusted,
                      List<String> ingredients, Optional<JsonNode> gb45438, Optional<TimeStamp> timeStamp,
                      List<String> problems) {
        boolean valid() {
            return signatureValid && assertionsMatch && dataHashMatch.orElse(true);
        }
    }

    /**
     * A signature's time-stamp as checked.
     *
     * @param time      when the TSA says it saw the signature ({@code genTime}), if the token could be read
     * @param tsa       the TSA certificate's subject (RFC 2253), "" when the token carries none
     * @param validated the token's signature and certificate check and it imprints this claim signature
     * @param trusted   validated, and the TSA's certificate chains to a TSA trust anchor at that time
     */
    record TimeStamp(Optional<Instant> time, String tsa, boolean validated, boolean trusted) {
    }

    /**
     * Validates the active manifest of {@code store} against {@code file} (the whole asset).
     *
     * @param anchors the roots (or intermediates) a signer must chain to to be trusted; no TSA is trusted
     * @throws IllegalArgumentException when the store cannot be parsed (not a manifest store)
     */
    static Validation validate(byte[] store, byte[] file, List<X509Certificate> anchors, Instant now) {
        return validate(store, file, anchors, List.of(), now);
    }

    /**
     * As {@link #validate(byte[], byte[], List, Instant)}, trusting time-stamps whose TSA chains to
     * one of {@code timeStampAnchors}. The lists are kept apart, as C2PA keeps its trust list and its
     * TSA trust list: a TSA's CA vouches for times, not for content signers, and the other way round.
     */
    static Validation validate(byte[] store, byte[] file, List<X509Certificate> anchors,
                               List<X509Certificate> timeStampAnchors, Instant now) {
        List<Jumbf.Node> manifests = manifests(Jumbf.parse(store));
        return validateManifest(store, manifests.get(manifests.size() - 1), file, anchors, timeStampAnchors, now, true);
    }

    private static List<Jumbf.Node> manifests(Jumbf.Node root) {
        if (!Jumbf.c2paType("c2pa").equals(root.uuid())) {
            throw new IllegalArgumentException("the JUMBF box is not a C2PA manifest store");
        }
        List<Jumbf.Node> manifests = root.children().stream()
                .filter(n -> Jumbf.c2paType("c2ma").equals(n.uuid()) || Jumbf.c2paType("c2um").equals(n.uuid())).toList();
        if (manifests.isEmpty()) {
            throw new IllegalArgumentException("the manifest store holds no manifest");
        }
        return manifests;
    }

    private static Validation validateManifest(byte[] store, Jumbf.Node manifest, byte[] file, List<X509Certificate> anchors,
                                               List<X509Certificate> timeStampAnchors, Instant now, boolean checkDataHash) {
        Jumbf.Node claimBox = manifest.child(CLAIM_V2).or(() -> manifest.child(CLAIM_V1))
                .orElseThrow(() -> new IllegalArgumentException("manifest " + manifest.label() + " has no claim"));
        byte[] claimCbor = claimBox.content("cbor").orElseThrow(() -> new IllegalArgumentException("the claim has no CBOR box"))
                .payload(store);
        JsonNode claim = readCbor(claimCbor, "the claim");
        Jumbf.Node signatureBox = manifest.child(SIGNATURE)
                .orElseThrow(() -> new IllegalArgumentException("manifest " + manifest.label() + " has no claim signature"));
        Cose.Sign1 sign1 = Cose.read(signatureBox.content("cbor")
                .orElseThrow(() -> new IllegalArgumentException("the claim signature has no CBOR box")).payload(store));

        List<String> problems = new ArrayList<>();
        boolean signatureValid = sign1.verifies(claimCbor);
        if (!signatureValid) {
            problems.add(sign1.alg() == Cose.ALG_ES256 ? "the claim signature does not verify"
                    : "the claim is signed with COSE algorithm " + sign1.alg() + ", which this reader does not check");
        }
        JsonNode listed = claim.has("created_assertions") ? claim.get("created_assertions") : claim.get("assertions");
        boolean assertionsMatch = listed != null && listed.isArray();
        Optional<Boolean> dataHashMatch = Optional.empty();
        Optional<JsonNode> gb = Optional.empty();
        List<String> ingredients = new ArrayList<>();
        Jumbf.Node assertionStore = manifest.child(ASSERTIONS).orElse(null);
        if (listed != null) {
            for (JsonNode ref : listed) {
                String url = ref.path("url").asText();
                String name = url.substring(url.lastIndexOf('/') + 1);
                Optional<Jumbf.Node> box = assertionStore == null ? Optional.empty() : assertionStore.child(name);
                byte[] expected = binary(ref.get("hash"));
                if (box.isEmpty() || expected == null
                        || !Arrays.equals(expected, sha256(store, box.get().start() + 8, box.get().end()))) {
                    assertionsMatch = false;
                    problems.add("assertion " + name + (box.isEmpty() ? " is missing" : " does not match its hash in the claim"));
                    continue;
                }
                Optional<Jumbf.Node> content = box.get().content("cbor");
                if (content.isEmpty()) {
                    continue;
                }
                if (name.equals(DATA_HASH) && checkDataHash) {
                    boolean match = dataHashMatches(readCbor(content.get().payload(store), DATA_HASH), file);
                    dataHashMatch = Optional.of(match);
                    if (!match) {
                        problems.add("the data hash does not match: the file was changed after it was signed");
                    }
                } else if (name.equals(GB45438)) {
                    gb = Optional.of(readCbor(content.get().payload(store), GB45438));
                } else if (name.startsWith("c2pa.ingredient")) {
                    checkIngredient(store, readCbor(content.get().payload(store), name), ingredients, problems);
                }
            }
        }
        Optional<TimeStamp> timeStamp = sign1.timeStamp().map(t -> {
            TimeStamps.Checked checked = TimeStamps.check(t.token(), sign1.timeStampMessage(claimCbor));
            checked.problems().forEach(p -> problems.add("time-stamp: " + p));
            boolean tsaTrusted = checked.validated() && checked.tsaCertificate().isPresent()
                    && TrustList.anchorOf(checked.tsaCertificate().get(), checked.certificates(), timeStampAnchors,
                    checked.time().orElseThrow()).isPresent();
            return new TimeStamp(checked.time(), checked.tsa(), checked.validated(), tsaTrusted);
        });
        // A trusted time-stamp proves the signature existed then: the certificates must have been valid
        // then, as C2PA validators judge it, so a manifest outlives its signer certificate's expiry.
        Instant signedAt = timeStamp.filter(TimeStamp::trusted).flatMap(TimeStamp::time).orElse(now);
        boolean trusted = !sign1.chain().isEmpty()
                && TrustList.anchorOf(sign1.chain().get(0), sign1.chain().subList(1, sign1.chain().size()), anchors,
                signedAt).isPresent();
        String generator = claim.path("claim_generator_info").isObject()
                ? claim.path("claim_generator_info").path("name").asText()
                : claim.path("claim_generator_info").path(0).path("name").asText(claim.path("claim_generator").asText());
        Optional<String> title = claim.has("dc:title") ? Optional.of(claim.get("dc:title").asText()) : Optional.empty();
        Optional<String> instanceId = claim.has("instanceID") ? Optional.of(claim.get("instanceID").asText()) : Optional.empty();
        String signer = sign1.chain().isEmpty() ? "" : sign1.chain().get(0).getSubjectX500Principal().getName();
        return new Validation(manifest.label(), instanceId, generator, title, signer, signatureValid, assertionsMatch,
                dataHashMatch, trusted, List.copyOf(ingredients), gb, timeStamp, List.copyOf(problems));
    }

    /** An ingredient's {@code activeManifest} must name a manifest of this store whose box hashes as recorded. */
    private static void checkIngredient(byte[] store, JsonNode ingredient, List<String> found, List<String> problems) {
        JsonNode active = ingredient.path("activeManifest");
        if (active.isMissingNode()) {
            active = ingredient.path("c2pa_manifest"); // ingredient v1/v2
        }
        if (active.isMissingNode()) {
            return; // an ingredient without Content Credentials of its own
        }
        String url = active.path("url").asText();
        String label = url.substring(url.lastIndexOf('/') + 1);
        Optional<Jumbf.Node> box = manifests(Jumbf.parse(store)).stream().filter(m -> m.label().equals(label)).findFirst();
        byte[] expected = binary(active.get("hash"));
        if (box.isEmpty() || expected == null || !Arrays.equals(expected, sha256(store, box.get().start() + 8, box.get().end()))) {
            problems.add("ingredient manifest " + label + (box.isEmpty() ? " is missing from the store" : " does not match its hash"));
        } else {
            found.add(label);
        }
    }

    private static boolean dataHashMatches(JsonNode hashData, byte[] file) {
        byte[] expected = binary(hashData.get("hash"));
        if (expected == null || !"sha256".equals(hashData.path("alg").asText("sha256"))) {
            return false;
        }
        List<long[]> exclusions = new ArrayList<>();
        for (JsonNode e : hashData.path("exclusions")) {
            exclusions.add(new long[] {e.path("start").asLong(-1), e.path("length").asLong(-1)});
        }
        try {
            return Arrays.equals(expected, dataHash(file, exclusions));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** SHA-256 of {@code file} without the {@code [start, length]} ranges (C2PA 2.2, 18.5). */
    static byte[] dataHash(byte[] file, List<long[]> exclusions) {
        List<long[]> sorted = new ArrayList<>(exclusions);
        sorted.sort(Comparator.comparingLong(e -> e[0]));
        MessageDigest sha = sha256();
        long at = 0;
        for (long[] e : sorted) {
            if (e[0] < at || e[1] < 0 || e[0] > file.length || e[1] > file.length - e[0]) {
                throw new IllegalArgumentException("an exclusion lies outside the file or overlaps another");
            }
            sha.update(file, (int) at, (int) (e[0] - at));
            at = e[0] + e[1];
        }
        sha.update(file, (int) at, (int) (file.length - at));
        return sha.digest();
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node != null && node.isBinary() ? node.binaryValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode readCbor(byte[] bytes, String what) {
        try {
            JsonNode node = CBOR.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a CBOR map");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not readable CBOR: " + e.getMessage(), e);
        }
    }

    private static byte[] cbor(Object value) {
        try {
            return CBOR.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("CBOR encoding of plain maps cannot fail", e);
        }
    }

    private static byte[] sha256(byte[] b, int from, int to) {
        MessageDigest sha = sha256();
        sha.update(b, from, to - from);
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
