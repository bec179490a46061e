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
 * exactly the bytes the store occupies once framed, so the store's framed size is found first (with
 * a zero hash: every later value has a fixed width), then the file is hashed without that range,
 * then the claim is built over the assertions' hashes and signed. The data hash does not depend on
 * the store's contents, only on its place and length.
 *
 * <p><b>Reading</b> checks what a validator checks of the active (last) manifest: every assertion the
 * claim lists is there and hashes as the claim says (section 10.3.1), the data hash matches the file
 * outside its exclusions (18.5), the COSE signature verifies with the signer certificate's key, and
 * the chain leads to the given trust anchor. It does not yet evaluate ingredients, redactions,
 * timestamps or revocation.
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

    /** What this producer says in its manifest; {@code gb45438} is the custom assertion's map. */
    record Content(String title, String generator, String generatorVersion, Map<String, Object> gb45438) {
    }

    /**
     * {@code asset} (without a store) with a signed store embedded through {@code slot}.
     *
     * @throws FormatException when the container cannot carry the store
     */
    static ManifestSlot.Embedded embedSigned(Asset asset, ManifestSlot slot, Content content, SignerCredentials signer)
            throws FormatException {
        String manifest = "urn:c2pa:" + UUID.randomUUID();
        String instance = "xmp:iid:" + UUID.randomUUID();
        byte[] zero = new byte[32];
        long start = 0;
        long length = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            ManifestSlot.Embedded trial = slot.embed(asset, build(manifest, instance, content, start, length, zero, signer));
            if (trial.start() == start && trial.length() == length) {
                byte[] hash = dataHash(trial.asset().bytes(), List.of(new long[] {start, length}));
                ManifestSlot.Embedded done = slot.embed(asset, build(manifest, instance, content, start, length, hash, signer));
                if (done.start() != start || done.length() != length) {
                    throw new IllegalStateException("the manifest store changed size when its hash was filled in");
                }
                return done;
            }
            start = trial.start();
            length = trial.length();
        }
        throw new IllegalStateException("the manifest store's size did not settle in " + MAX_ROUNDS + " rounds");
    }

    private static byte[] build(String manifest, String instance, Content content, long start, long length, byte[] hash,
                                SignerCredentials signer) {
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("action", "c2pa.created");
        created.put("digitalSourceType", TRAINED_ALGORITHMIC_MEDIA);
        created.put("softwareAgent", Map.of("name", content.generator()));
        Map<String, Object> actions = Map.of("actions", List.of(created));

        Map<String, Object> exclusion = new LinkedHashMap<>();
        exclusion.put("start", start);
        exclusion.put("length", length);
        Map<String, Object> dataHash = new LinkedHashMap<>();
        dataHash.put("exclusions", List.of(exclusion));
        dataHash.put("name", "jumbf manifest");
        dataHash.put("alg", "sha256");
        dataHash.put("hash", hash);
        dataHash.put("pad", new byte[0]);

        List<byte[]> assertions = List.of(
                assertion(ACTIONS, actions),
                assertion(DATA_HASH, dataHash),
                assertion(GB45438, content.gb45438()));
        List<String> labels = List.of(ACTIONS, DATA_HASH, GB45438);
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
                List.of(Jumbf.box("cbor", Cose.sign(claimCbor, signer))));
        byte[] manifestBox = Jumbf.superbox(Jumbf.c2paType("c2ma"), manifest, List.of(assertionStore, claimBox, signatureBox));
        return Jumbf.superbox(Jumbf.c2paType("c2pa"), "c2pa", List.of(manifestBox));
    }

    private static byte[] assertion(String label, Map<String, Object> value) {
        return Jumbf.superbox(Jumbf.c2paType("cbor"), label, List.of(Jumbf.box("cbor", cbor(value))));
    }

    /**
     * What the active manifest of a store says and whether it holds.
     *
     * @param manifest         the active manifest's label ({@code urn:c2pa:...})
     * @param generator        {@code claim_generator_info.name} (or v1's {@code claim_generator})
     * @param title            {@code dc:title}, if any
     * @param signer           the signer certificate's subject
     * @param signatureValid   the COSE signature verifies over the claim
     * @param assertionsMatch  every assertion the claim lists is present and hashes as listed
     * @param dataHashMatch    the data hash matches the file (empty: no {@code c2pa.hash.data})
     * @param trusted          the chain leads to the trust anchor and every certificate is in its validity period
     * @param gb45438          this producer's GB 45438 assertion, if present, as JSON
     * @param problems         what failed, one sentence each
     */
    record Validation(String manifest, String generator, Optional<String> title, String signer, boolean signatureValid,
                      boolean assertionsMatch, Optional<Boolean> dataHashMatch, boolean trusted,
                      Optional<JsonNode> gb45438, List<String> problems) {
        boolean valid() {
            return signatureValid && assertionsMatch && dataHashMatch.orElse(true);
        }
    }

    /**
     * Validates the active manifest of {@code store} against {@code file} (the whole asset).
     *
     * @throws IllegalArgumentException when the store cannot be parsed (not a manifest store)
     */
    static Validation validate(byte[] store, byte[] file, Optional<X509Certificate> anchor, Instant now) {
        Jumbf.Node root = Jumbf.parse(store);
        if (!Jumbf.c2paType("c2pa").equals(root.uuid())) {
            throw new IllegalArgumentException("the JUMBF box is not a C2PA manifest store");
        }
        List<Jumbf.Node> manifests = root.children().stream()
                .filter(n -> n.uuid() != null && n.uuid().equals(Jumbf.c2paType("c2ma"))).toList();
        if (manifests.isEmpty()) {
            throw new IllegalArgumentException("the manifest store holds no manifest");
        }
        Jumbf.Node manifest = manifests.get(manifests.size() - 1);
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
                if (name.equals(DATA_HASH)) {
                    boolean match = dataHashMatches(readCbor(content.get().payload(store), DATA_HASH), file);
                    dataHashMatch = Optional.of(match);
                    if (!match) {
                        problems.add("the data hash does not match: the file was changed after it was signed");
                    }
                } else if (name.equals(GB45438)) {
                    gb = Optional.of(readCbor(content.get().payload(store), GB45438));
                }
            }
        }
        boolean trusted = anchor.isPresent() && chainsTo(sign1.chain(), anchor.get(), now);
        String generator = claim.path("claim_generator_info").isObject()
                ? claim.path("claim_generator_info").path("name").asText()
                : claim.path("claim_generator_info").path(0).path("name").asText(claim.path("claim_generator").asText());
        Optional<String> title = claim.has("dc:title") ? Optional.of(claim.get("dc:title").asText()) : Optional.empty();
        String signer = sign1.chain().isEmpty() ? "" : sign1.chain().get(0).getSubjectX500Principal().getName();
        return new Validation(manifest.label(), generator, title, signer, signatureValid, assertionsMatch, dataHashMatch,
                trusted, gb, List.copyOf(problems));
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

    private static boolean chainsTo(List<X509Certificate> chain, X509Certificate anchor, Instant now) {
        try {
            java.util.Date date = java.util.Date.from(now);
            for (int i = 0; i < chain.size(); i++) {
                X509Certificate c = chain.get(i);
                c.checkValidity(date);
                X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : anchor;
                c.verify(issuer.getPublicKey());
            }
            anchor.checkValidity(date);
            return true;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
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
