package dev.yuanjian.c2pa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.ManifestSlot;
import dev.yuanjian.container.PngContainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing a store and reading it back with this package's own validator, and what breaks it. */
class ManifestStoreTest {
    private static final SignerCredentials SIGNER = SignerCredentials.developmentChain("test", Instant.now());
    private static final List<java.security.cert.X509Certificate> ANCHORS = SIGNER.root().stream().toList();
    private static final ManifestStore.Content CONTENT = new ManifestStore.Content("a picture", "Yuanjian", "test",
            Map.of("contentId", "01TEST", "logIndex", 7L));

    @TempDir
    Path dir;

    private static ManifestSlot.Embedded embed(Container container, byte[] image) throws FormatException {
        return ManifestStore.embedSigned(Asset.of("a", image), container.manifestSlot().orElseThrow(), CONTENT, SIGNER);
    }

    private static ManifestStore.Validation validate(Container container, byte[] file) throws FormatException {
        byte[] store = container.manifestSlot().orElseThrow().read(Asset.of("a", file)).orElseThrow();
        return ManifestStore.validate(store, file, ANCHORS, Instant.now());
    }

    @Test
    void aStoreReadsBackValidAndTrustedInBothFormats() throws Exception {
        for (Container c : List.of(new PngContainer(), new JpegContainer())) {
            byte[] image = c instanceof PngContainer ? ImageFixtures.png(64, 48) : ImageFixtures.jpeg(64, 48);
            ManifestSlot.Embedded e = embed(c, image);

            ManifestStore.Validation v = validate(c, e.asset().bytes());

            assertThat(v.valid()).as(v.problems().toString()).isTrue();
            assertThat(v.trusted()).isTrue();
            assertThat(v.dataHashMatch()).contains(true);
            assertThat(v.generator()).isEqualTo("Yuanjian");
            assertThat(v.gb45438().orElseThrow().path("logIndex").asLong()).isEqualTo(7);
            // Removing the store gives back exactly the image it was embedded in.
            assertThat(c.manifestSlot().orElseThrow().remove(e.asset()).bytes()).isEqualTo(image);
        }
    }

    @Test
    void aChangedPixelByteBreaksTheDataHashOnly() throws Exception {
        JpegContainer c = new JpegContainer();
        byte[] file = embed(c, ImageFixtures.jpeg(64, 48)).asset().bytes();
        file[file.length - 10] ^= 0x40;

        ManifestStore.Validation v = validate(c, file);

        assertThat(v.dataHashMatch()).contains(false);
        assertThat(v.signatureValid()).isTrue();
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("data hash"));
    }

    @Test
    void aChangedAssertionOrClaimIsCaught() throws Exception {
        PngContainer c = new PngContainer();
        ManifestSlot.Embedded e = embed(c, ImageFixtures.png(64, 48));
        byte[] store = c.manifestSlot().orElseThrow().read(e.asset()).orElseThrow();

        byte[] assertion = store.clone();
        int at = indexOf(assertion, "01TEST".getBytes(StandardCharsets.US_ASCII));
        assertion[at] = '9';
        ManifestStore.Validation a = ManifestStore.validate(assertion, e.asset().bytes(), ANCHORS, Instant.now());
        assertThat(a.assertionsMatch()).isFalse();
        assertThat(a.problems()).anyMatch(p -> p.contains(ManifestStore.GB45438));

        byte[] claim = store.clone();
        int title = indexOf(claim, "a picture".getBytes(StandardCharsets.US_ASCII));
        claim[title] = 'A';
        ManifestStore.Validation s = ManifestStore.validate(claim, e.asset().bytes(), ANCHORS, Instant.now());
        assertThat(s.signatureValid()).isFalse();
        assertThat(s.title()).contains("A picture");
    }

    @Test
    void anotherRootIsNotTrustedAndAnExpiredChainIsNot() throws Exception {
        PngContainer c = new PngContainer();
        ManifestSlot.Embedded e = embed(c, ImageFixtures.png(64, 48));
        byte[] store = c.manifestSlot().orElseThrow().read(e.asset()).orElseThrow();
        SignerCredentials other = SignerCredentials.developmentChain("other", Instant.now());

        assertThat(ManifestStore.validate(store, e.asset().bytes(), other.root().stream().toList(), Instant.now()).trusted()).isFalse();
        assertThat(ManifestStore.validate(store, e.asset().bytes(), List.of(), Instant.now()).trusted()).isFalse();
        assertThat(ManifestStore.validate(store, e.asset().bytes(), ANCHORS, Instant.now().plusSeconds(6L * 365 * 86400))
                .trusted()).isFalse();
    }

    @Test
    void aLargeStoreIsSplitAcrossApp11SegmentsAndJoinedBack() throws Exception {
        JpegContainer c = new JpegContainer();
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'x');
        ManifestStore.Content content = new ManifestStore.Content("big", "Yuanjian", "test", Map.of("padding", new String(big,
                StandardCharsets.US_ASCII)));
        ManifestSlot.Embedded e = ManifestStore.embedSigned(Asset.of("a", ImageFixtures.jpeg(64, 48)),
                c.manifestSlot().orElseThrow(), content, SIGNER);

        assertThat(countApp11(e.asset().bytes())).isEqualTo(4);
        ManifestStore.Validation v = validate(c, e.asset().bytes());
        assertThat(v.valid()).as(v.problems().toString()).isTrue();
        assertThat(c.metadata(e.asset(), ImageFixtures.AIGC)).isEmpty(); // the JPEG still parses as a whole
    }

    @Test
    void placeSaysExactlyWhereEmbedPutsAStoreOfAnySize() throws Exception {
        for (Container c : List.of(new PngContainer(), new JpegContainer())) {
            Asset image = Asset.of("a", c instanceof PngContainer ? ImageFixtures.png(16, 16) : ImageFixtures.jpeg(16, 16));
            for (int n : new int[] {8, 63_999, 64_000, 64_001, 127_992, 127_993, 200_000}) {
                byte[] store = new byte[n];
                store[3] = (byte) n; // any bytes: the slot frames, it does not parse
                ManifestSlot slot = c.manifestSlot().orElseThrow();
                ManifestSlot.Embedded e = slot.embed(image, store);
                assertThat(slot.place(image, n)).as(c.format() + " " + n)
                        .isEqualTo(new ManifestSlot.Placement(e.start(), e.length()));
                byte[] out = e.asset().bytes();
                byte[] outside = new byte[out.length - (int) e.length()];
                System.arraycopy(out, 0, outside, 0, (int) e.start());
                System.arraycopy(out, (int) (e.start() + e.length()), outside, (int) e.start(), outside.length - (int) e.start());
                assertThat(outside).as("the file outside the store is the asset").isEqualTo(image.bytes());
            }
        }
    }

    @Test
    void aStoreCutShortOrTwoStoresAreRefusedWithWhere() throws Exception {
        JpegContainer c = new JpegContainer();
        ManifestSlot slot = c.manifestSlot().orElseThrow();
        ManifestSlot.Embedded e = embed(c, ImageFixtures.jpeg(64, 48));

        assertThatThrownBy(() -> slot.embed(e.asset(), new byte[16])).isInstanceOf(FormatException.class)
                .hasMessageContaining("already holds");
        PngContainer p = new PngContainer();
        byte[] two = ImageFixtures.afterIhdr(ImageFixtures.png(8, 8), ImageFixtures.chunk("caBX", new byte[8]),
                ImageFixtures.chunk("caBX", new byte[8]));
        assertThatThrownBy(() -> p.manifestSlot().orElseThrow().read(Asset.of("two.png", two)))
                .isInstanceOf(FormatException.class).hasMessageContaining("two C2PA caBX chunks");
        assertThatThrownBy(() -> ManifestStore.validate(new byte[] {0, 0, 0, 8, 'j', 'u', 'm', 'b'}, two, List.of(),
                Instant.now())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past");
    }

    @Test
    void damagedStoresAreRefusedNeverCrashOrHang() throws Exception {
        PngContainer c = new PngContainer();
        ManifestSlot.Embedded e = embed(c, ImageFixtures.png(32, 32));
        byte[] store = c.manifestSlot().orElseThrow().read(e.asset()).orElseThrow();
        java.util.Random random = new java.util.Random(45438);
        int refused = 0;
        int invalid = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] damaged = i % 10 == 0 ? Arrays.copyOf(store, random.nextInt(store.length)) : store.clone();
            if (i % 10 != 0) {
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                ManifestStore.Validation v = ManifestStore.validate(damaged, e.asset().bytes(), ANCHORS, Instant.now());
                if (!v.valid()) {
                    invalid++;
                }
            } catch (IllegalArgumentException expected) {
                refused++;
            }
        }
        // Most damage is caught one way or the other; a change in bytes nothing covers (a padding byte) may not be.
        assertThat(refused + invalid).isGreaterThan(4_500);
    }

    @Test
    void theDevelopmentChainIsOwnerOnlyAndReadBackTheSame() throws Exception {
        Path file = dir.resolve("keys/c2pa.pem");
        SignerCredentials made = SignerCredentials.loadOrCreate(file, "test");
        SignerCredentials read = SignerCredentials.loadOrCreate(file, "test");

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        assertThat(read.chain()).isEqualTo(made.chain());
        assertThat(read.root()).isEqualTo(made.root());
        assertThat(read.signer().getEncoded()).isEqualTo(made.signer().getEncoded());
        assertThat(SignerCredentials.rootIn(file)).isEqualTo(made.root());
        // A key file others can read (copied in, loose umask) is made owner-only again on load.
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        SignerCredentials.loadOrCreate(file, "test");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        // A damaged key file says what to do.
        Files.writeString(dir.resolve("cut.pem"), made.pem().substring(0, 300));
        assertThatThrownBy(() -> SignerCredentials.loadOrCreate(dir.resolve("cut.pem"), "test"))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("move the file aside");
        assertThat(SignerCredentials.rootIn(dir.resolve("absent.pem"))).isEmpty();
        // The signer certificate is what C2PA requires: not a CA, digitalSignature, an EKU that is not anyEKU.
        assertThat(made.chain().get(0).getBasicConstraints()).isEqualTo(-1);
        assertThat(made.chain().get(0).getKeyUsage()[0]).isTrue();
        assertThat(made.chain().get(0).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36")
                .doesNotContain("2.5.29.37.0");
    }

    @Test
    void onlyP256KeysSignBecauseTheClaimSaysEs256() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        java.security.PrivateKey p384 = g.generateKeyPair().getPrivate();

        assertThatThrownBy(() -> new SignerCredentials(p384, SIGNER.chain(), SIGNER.root()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256").hasMessageContaining("384-bit");
    }

    @Test
    void aDamagedStoreIsAFindingForVerifyAndIsReplacedByLabelling() throws Exception {
        JpegContainer c = new JpegContainer();
        ManifestSlot slot = c.manifestSlot().orElseThrow();
        byte[] file = embed(c, ImageFixtures.jpeg(64, 48)).asset().bytes();
        // Repeat the store's APP11 segment: packet 1 twice.
        int at = indexOf(file, new byte[] {(byte) 0xFF, (byte) 0xEB});
        int len = ((file[at + 2] & 0xff) << 8) | (file[at + 3] & 0xff);
        byte[] doubled = new byte[file.length + len + 2];
        System.arraycopy(file, 0, doubled, 0, at + len + 2);
        System.arraycopy(file, at, doubled, at + len + 2, file.length - at);
        Asset damaged = Asset.of("doubled.jpg", doubled);

        assertThatThrownBy(() -> slot.read(damaged)).isInstanceOf(FormatException.class).hasMessageContaining("repeat");
        assertThat(slot.remove(damaged).bytes()).isEqualTo(slot.remove(Asset.of("a", file)).bytes());
        C2paMark mark = new C2paMark(CredentialSource.of(SIGNER), ImageFixtures.AIGC, "test", java.time.Clock.systemUTC());
        dev.yuanjian.mark.Finding finding = mark.detect(damaged, c, null);
        assertThat(finding.present()).isTrue();
        assertThat(finding.notes()).anyMatch(n -> n.en().contains("cannot be read"));
        Asset relabelled = mark.apply(damaged, c, new dev.yuanjian.mark.Issuance("01TEST", "producer", "model"));
        assertThat(validate(c, relabelled.bytes()).valid()).isTrue();
    }

    @Test
    void readOnlyCredentialsCreateNothingAndSignNothing() throws Exception {
        Path file = dir.resolve("keys/c2pa.pem");
        CredentialSource reading = CredentialSource.file(file, "test", false);

        assertThat(reading.trustAnchors()).isEmpty();
        assertThatThrownBy(reading::signer).isInstanceOf(IllegalStateException.class).hasMessageContaining("reading");
        assertThat(dir.resolve("keys")).doesNotExist();

        SignerCredentials made = CredentialSource.file(file, "test", true).signer();
        assertThat(CredentialSource.file(file, "test", false).trustAnchors()).isEqualTo(made.root().stream().toList());
    }

    private static int indexOf(byte[] b, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static int countApp11(byte[] jpeg) {
        int n = 0;
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xFF && (jpeg[at + 1] & 0xff) != 0xDA) {
            if ((jpeg[at + 1] & 0xff) == 0xEB) {
                n++;
            }
            at += 2 + (((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff));
        }
        return n;
    }
}
