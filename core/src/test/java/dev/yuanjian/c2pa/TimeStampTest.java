package dev.yuanjian.c2pa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 3161 time-stamps on claim signatures, against a real TSA on a loopback port
 * ({@link LoopbackTsa}, BouncyCastle's TSP responder): what labelling writes, what verify reports,
 * and what happens when the TSA fails before and after the log entry exists.
 */
class TimeStampTest {
    private static final SignerCredentials SIGNER = SignerCredentials.developmentChain("test", Instant.now());

    @TempDir
    Path dir;
    LoopbackTsa tsa;
    Yuanjian app;

    @BeforeEach
    void start() throws Exception {
        tsa = new LoopbackTsa();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        tsa.close();
    }

    private Yuanjian open(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("YUANJIAN_C2PA_TSA_URL", tsa.url().toString());
        env.put("YUANJIAN_C2PA_TSA_TIMEOUT_SECONDS", "2");
        return Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), env);
    }

    private Pipeline.Result label(String name, byte[] image) throws Exception {
        return app.pipeline().label(new Pipeline.Request(Asset.of(name, image), Set.of(), "test-model", Optional.empty()));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> c2pa(Asset asset) throws Exception {
        return (Map<String, Object>) app.verifier().verify(asset).finding(C2paMark.NAME).orElseThrow().view();
    }

    @Test
    void everyManifestCarriesTheTsasTokenAndVerifyReportsIt() throws Exception {
        app = open(Map.of());
        Asset labelled = label("a.png", ImageFixtures.png(320, 240)).labelled();

        // One token for the manifest apply writes (the TSA is checked before the log entry), one for the sealed one.
        assertThat(tsa.issued).hasSize(2);
        Map<String, Object> view = c2pa(labelled);
        assertThat(view).containsEntry("valid", true).containsEntry("trusted", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> ts = (Map<String, Object>) view.get("timeStamp");
        assertThat(ts).containsEntry("time", tsa.issued.get(1).toString()).containsEntry("validated", true)
                .containsEntry("trusted", false);
        assertThat((String) ts.get("tsa")).contains("CN=Loopback TSA");
        assertThat(app.verifier().verify(labelled).finding(C2paMark.NAME).orElseThrow().facts())
                .anyMatch(f -> f.toString().contains("valid, TSA not trusted here"));
    }

    @Test
    void aTsaOnTheTsaTrustListIsTrustedAndOnlyThere() throws Exception {
        Path list = Files.writeString(dir.resolve("tsa.pem"), "TSA for tests\n" + tsa.rootPem());
        // On the signers' list the TSA's root vouches for no time: the lists are kept apart.
        app = open(Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", list.toString()));
        Asset labelled = label("a.jpg", ImageFixtures.jpeg(320, 240)).labelled();
        @SuppressWarnings("unchecked")
        Map<String, Object> signersList = (Map<String, Object>) c2pa(labelled).get("timeStamp");
        assertThat(signersList).containsEntry("validated", true).containsEntry("trusted", false);
        app.close();

        app = open(Map.of("YUANJIAN_C2PA_TSA_TRUST_ANCHORS", list.toString()));
        @SuppressWarnings("unchecked")
        Map<String, Object> tsaList = (Map<String, Object>) c2pa(labelled).get("timeStamp");
        assertThat(tsaList).containsEntry("validated", true).containsEntry("trusted", true);
    }

    @Test
    void aTrustedTimeStampKeepsTheSignerTrustedAfterItsCertificateExpires() throws Exception {
        TimeStamper stamper = new TimeStamper(tsa.url(), Duration.ofSeconds(5));
        PngContainer png = new PngContainer();
        byte[] file = ManifestStore.embedSigned(Asset.of("a.png", ImageFixtures.png(64, 48)), png.manifestSlot().orElseThrow(),
                new ManifestStore.Content("a", "Yuanjian", "test", Map.of()), SIGNER, Optional.empty(),
                Optional.of(stamper)).asset().bytes();
        byte[] store = png.manifestSlot().orElseThrow().read(Asset.of("a.png", file)).orElseThrow();
        Instant afterExpiry = SIGNER.chain().get(0).getNotAfter().toInstant().plus(Duration.ofDays(1));
        List<java.security.cert.X509Certificate> signers = SIGNER.root().stream().toList();

        assertThat(ManifestStore.validate(store, file, signers, List.of(tsa.root), afterExpiry).trusted()).isTrue();
        // Without a trusted time the certificates are judged now, when the signer's has expired.
        assertThat(ManifestStore.validate(store, file, signers, List.of(), afterExpiry).trusted()).isFalse();
    }

    @Test
    void aTsaThatFailsBeforeTheLogEntryFailsTheLabellingAndNothingIsLogged() throws Exception {
        app = open(Map.of());
        for (LoopbackTsa.Mode failure : List.of(LoopbackTsa.Mode.HTTP_ERROR, LoopbackTsa.Mode.GARBAGE, LoopbackTsa.Mode.STALL)) {
            tsa.mode = failure;
            long before = app.log().size();

            assertThatThrownBy(() -> label("a.png", ImageFixtures.png(64, 48))).isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(TimeStamper.TimeStampException.class)
                    .hasMessageContaining("the Time-Stamp Authority " + tsa.url())
                    .hasMessageContaining(switch (failure) {
                        case HTTP_ERROR -> "answered HTTP 503";
                        case GARBAGE -> "unusable time-stamp response";
                        default -> "did not answer within 2000 ms";
                    });
            assertThat(app.log().size()).as(failure.name()).isEqualTo(before);
        }
    }

    @Test
    void aTsaThatFailsAfterTheLogEntryLeavesAValidManifestWithoutATimeStamp() throws Exception {
        app = open(Map.of());
        tsa.grantFirst = 1; // apply's request succeeds, seal's fails
        tsa.mode = LoopbackTsa.Mode.HTTP_ERROR;

        Pipeline.Result result = label("a.png", ImageFixtures.png(64, 48));

        assertThat(result.marks()).contains(C2paMark.NAME);
        assertThat(tsa.requests.get()).isEqualTo(2);
        Map<String, Object> view = c2pa(result.labelled());
        assertThat(view).containsEntry("valid", true).doesNotContainKey("timeStamp");
        assertThat(app.verifier().verify(result.labelled()).verdict()).isInstanceOf(dev.yuanjian.verify.Verdict.Intact.class);
    }

    @Test
    void aTokenLargerThanTheReserveHasTheStoreSizedAgain() throws Exception {
        tsa.mode = LoopbackTsa.Mode.BULKY;
        TimeStamper stamper = new TimeStamper(tsa.url(), Duration.ofSeconds(5));
        PngContainer png = new PngContainer();

        byte[] file = ManifestStore.embedSigned(Asset.of("a.png", ImageFixtures.png(64, 48)), png.manifestSlot().orElseThrow(),
                new ManifestStore.Content("a", "Yuanjian", "test", Map.of()), SIGNER, Optional.empty(),
                Optional.of(stamper)).asset().bytes();

        byte[] store = png.manifestSlot().orElseThrow().read(Asset.of("a.png", file)).orElseThrow();
        assertThat(store.length).isGreaterThan(ManifestStore.TIME_STAMP_RESERVE);
        ManifestStore.Validation v = ManifestStore.validate(store, file, SIGNER.root().stream().toList(), Instant.now());
        assertThat(v.valid()).as(v.problems().toString()).isTrue();
        assertThat(v.timeStamp().orElseThrow().validated()).isTrue();
        // The first token did not fit: a second request, for the store sized to it.
        assertThat(tsa.requests.get()).isEqualTo(2);
    }

    @Test
    void aTokenForOtherBytesOrAlteredDoesNotCheck() throws Exception {
        TimeStamper stamper = new TimeStamper(tsa.url(), Duration.ofSeconds(5));
        byte[] message = "the signature's countersignature structure".getBytes();
        byte[] token = stamper.token(message);

        assertThat(TimeStamps.check(token, message).validated()).isTrue();
        TimeStamps.Checked other = TimeStamps.check(token, "other bytes".getBytes());
        assertThat(other.validated()).isFalse();
        assertThat(other.problems()).anyMatch(p -> p.contains("made for other data"));
        // One digit of the signed genTime changed: still a well-formed token, no longer the one the TSA signed.
        byte[] altered = token.clone();
        int at = genTimeLastDigit(altered);
        altered[at] = (byte) (altered[at] == '0' ? '1' : '0');
        TimeStamps.Checked broken = TimeStamps.check(altered, message);
        assertThat(broken.validated()).isFalse();
        assertThat(broken.problems()).anyMatch(p -> p.contains("signature does not check"));
    }

    @Test
    void aJpegTimeStampSurvivesTheSecondReadingOfTheStore() throws Exception {
        // The store is read back as written: the padded unprotected header keeps every offset the data hash records.
        TimeStamper stamper = new TimeStamper(tsa.url(), Duration.ofSeconds(5));
        JpegContainer jpeg = new JpegContainer();
        byte[] file = ManifestStore.embedSigned(Asset.of("a.jpg", ImageFixtures.jpeg(64, 48)), jpeg.manifestSlot().orElseThrow(),
                new ManifestStore.Content("a", "Yuanjian", "test", Map.of()), SIGNER, Optional.empty(),
                Optional.of(stamper)).asset().bytes();
        byte[] store = jpeg.manifestSlot().orElseThrow().read(Asset.of("a.jpg", file)).orElseThrow();

        ManifestStore.Validation v = ManifestStore.validate(store, file, SIGNER.root().stream().toList(), List.of(tsa.root),
                Instant.now());
        assertThat(v.valid()).as(v.problems().toString()).isTrue();
        assertThat(v.timeStamp().orElseThrow()).extracting(ManifestStore.TimeStamp::validated, ManifestStore.TimeStamp::trusted)
                .containsExactly(true, true);
    }

    @Test
    void aTsaUrlMustBeHttpWithoutCredentialsAndErrorsNameItWithoutItsQuery() throws Exception {
        assertThatThrownBy(() -> Yuanjian.open(new Home(dir.resolve("h")), Settings.defaults(),
                Map.of("YUANJIAN_C2PA_TSA_URL", "file:///etc/passwd")))
                .hasMessageContaining("c2pa.timeStampAuthority").hasMessageContaining("http");
        assertThatThrownBy(() -> Yuanjian.open(new Home(dir.resolve("h")), Settings.defaults(),
                Map.of("YUANJIAN_C2PA_TSA_URL", "https://user:s3cret@tsa.example/")))
                .hasMessageContaining("user:password@").hasMessageNotContaining("s3cret");

        tsa.mode = LoopbackTsa.Mode.HTTP_ERROR;
        TimeStamper stamper = new TimeStamper(java.net.URI.create(tsa.url() + "?key=s3cret"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> stamper.token(new byte[] {1})).hasMessageContaining(tsa.url().toString())
                .hasMessageNotContaining("s3cret");
    }

    /** The last digit of the first GeneralizedTime (tag 0x18) in {@code der}: TSTInfo's genTime. */
    private static int genTimeLastDigit(byte[] der) {
        for (int i = 0; i + 2 < der.length; i++) {
            int len = der[i + 1];
            if (der[i] == 0x18 && len >= 15 && len <= 24 && i + 2 + len <= der.length && der[i + 2] == '2'
                    && der[i + 1 + len] == 'Z') {
                return i + len; // the byte before 'Z'
            }
        }
        throw new AssertionError("no GeneralizedTime in the token");
    }
}
