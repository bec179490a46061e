package dev.yuanjian.c2pa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.WebpFixtures;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content Credentials written by labelling, checked by the official C2PA validator
 * ({@code @contentauth/c2pa-wasm}, the reference implementation, installed by
 * {@code tools/c2pa-validator/install}) under Node: "Trusted" with this home's root as trust
 * anchor, "Valid" without it, "Invalid" with {@code assertion.dataHash.mismatch} after one byte of
 * the image changes.
 */
class C2paValidatorTest {
    private static final Path VALIDATOR = Path.of("..", "tools", "c2pa-validator").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Yuanjian app;
    Path node;

    @BeforeEach
    void open() throws Exception {
        node = ExternalTools.require("node", "nodejs");
        if (!Files.isDirectory(VALIDATOR.resolve("node_modules/@contentauth/c2pa-wasm"))) {
            ExternalTools.missing(VALIDATOR.resolve("node_modules") + " lacks the official C2PA validator; install it with: "
                    + "tools/c2pa-validator/install (npm ci)");
        }
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"picture.png", "picture.jpg", "photo-with-exif.jpg", "picture.webp", "translucent.webp"})
    void labelledImagesAreTrustedByTheOfficialValidator(String name) throws Exception {
        byte[] original = name.startsWith("translucent") ? WebpFixtures.lossless(640, 480, 0x80336699, true) : image(name);
        if (name.startsWith("photo")) {
            original = withExif(original);
        }
        Asset labelled = app.pipeline().label(new Pipeline.Request(Asset.of(name, original), Set.of(), "test-model",
                Optional.empty())).labelled();
        String mediaType = mediaType(name);
        Path file = Files.write(dir.resolve(name), labelled.bytes());
        Path root = rootPem();

        JsonNode trusted = validate(file, mediaType, Optional.of(root));
        assertThat(trusted.path("validation_state").asText()).as(trusted.toPrettyString()).isEqualTo("Trusted");
        assertThat(codes(trusted, "success")).contains("claimSignature.validated", "claimSignature.insideValidity",
                "assertion.hashedURI.match", "assertion.dataHash.match", "signingCredential.trusted");
        JsonNode manifest = trusted.path("manifests").path(trusted.path("active_manifest").asText());
        JsonNode gb = assertion(manifest, ManifestStore.GB45438);
        assertThat(gb.path("logIndex").asLong(-1)).isGreaterThanOrEqualTo(0);
        assertThat(gb.path("label").asText()).contains("\"Label\":\"1\"");
        assertThat(assertion(manifest, "c2pa.actions.v2").path("actions").path(0).path("digitalSourceType").asText())
                .isEqualTo(ManifestStore.TRAINED_ALGORITHMIC_MEDIA);

        JsonNode untrusted = validate(file, mediaType, Optional.empty());
        assertThat(untrusted.path("validation_state").asText()).isEqualTo("Valid");

        byte[] flipped = labelled.bytes().clone();
        // Inside the image data, far from every exclusion (a WebP's store is its last chunk; its VP8L
        // chunk starts at 30, after the header and VP8X).
        flipped[name.endsWith(".webp") ? 40 : flipped.length - 20] ^= 1;
        JsonNode invalid = validate(Files.write(dir.resolve("flipped-" + name), flipped), mediaType, Optional.of(root));
        assertThat(invalid.path("validation_state").asText()).isEqualTo("Invalid");
        assertThat(invalid.toString()).contains("assertion.dataHash.mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"credentialed.png", "credentialed.jpg", "credentialed.webp"})
    void earlierContentCredentialsBecomeTheParentIngredient(String name) throws Exception {
        // Another producer's image with its own valid manifest, as an AI service's images come.
        SignerCredentials other = SignerCredentials.developmentChain("another producer", java.time.Instant.now());
        byte[] image = image(name);
        dev.yuanjian.container.Container container = name.endsWith(".png") ? new dev.yuanjian.container.PngContainer()
                : name.endsWith(".webp") ? new dev.yuanjian.container.WebpContainer() : new dev.yuanjian.container.JpegContainer();
        byte[] credentialed = ManifestStore.embedSigned(Asset.of(name, image), container.manifestSlot().orElseThrow(),
                new ManifestStore.Content("from another tool", "OtherTool", "9", Map.of("note", "theirs")), other)
                .asset().bytes();
        String mediaType = mediaType(name);
        Path both = Files.writeString(dir.resolve("anchors.pem"), Files.readString(rootPem()) + "\n"
                + pem(other.root().orElseThrow()));

        // The visible label is drawn (the pixels change; not on WebP, which has no raster access here),
        // then every mark: the parent must survive all of it.
        Asset labelled = app.pipeline().label(new Pipeline.Request(Asset.of(name, credentialed), Set.of(), "test-model",
                Optional.empty())).labelled();
        JsonNode report = validate(Files.write(dir.resolve(name), labelled.bytes()), mediaType, Optional.of(both));

        assertThat(report.path("validation_state").asText()).as(report.toPrettyString()).isEqualTo("Trusted");
        assertThat(report.path("manifests")).hasSize(2);
        JsonNode ours = report.path("manifests").path(report.path("active_manifest").asText());
        assertThat(ours.path("ingredients").path(0).path("relationship").asText()).isEqualTo("parentOf");
        assertThat(ours.path("ingredients").path(0).path("title").asText()).isEqualTo("from another tool");
        assertThat(assertion(ours, "c2pa.actions.v2").path("actions").path(0).path("action").asText()).isEqualTo("c2pa.opened");
        assertThat(report.toString()).contains("ingredient.manifest.validated").doesNotContain("mismatch");

        dev.yuanjian.verify.Report verified = app.verifier().verify(labelled);
        Object view = verified.finding(C2paMark.NAME).orElseThrow().view();
        assertThat(view.toString()).contains("valid=true", "trusted=true", "ingredients=[urn:c2pa:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stamped.png", "stamped.jpg", "stamped.webp"})
    void aTimeStampedManifestIsValidForTheOfficialValidator(String name) throws Exception {
        try (LoopbackTsa tsa = new LoopbackTsa()) {
            app.close();
            app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(),
                    Map.of("YUANJIAN_C2PA_TSA_URL", tsa.url().toString()));
            Asset labelled = app.pipeline().label(new Pipeline.Request(Asset.of(name, image(name)), Set.of(), "test-model",
                    Optional.empty())).labelled();
            Path file = Files.write(dir.resolve(name), labelled.bytes());
            Path root = rootPem();

            // The test TSA is on no trust list: the time-stamp checks but its TSA is untrusted (informational).
            JsonNode report = validate(file, mediaType(name), Optional.of(root));
            assertThat(report.path("validation_state").asText()).as(report.toPrettyString()).isEqualTo("Trusted");
            assertThat(codes(report, "success")).contains("timeStamp.validated", "claimSignature.validated",
                    "assertion.dataHash.match", "signingCredential.trusted");
            assertThat(codes(report, "informational")).contains("timeStamp.untrusted");
            assertThat(codes(report, "failure")).isEmpty();

            // Its root given as a TSA trust list (kind "tsa"): the time-stamp is trusted too.
            Path tsaList = Files.writeString(dir.resolve("tsa.pem"), tsa.rootPem());
            JsonNode trusted = validate(file, mediaType(name), Optional.of(root), Optional.of(tsaList));
            assertThat(trusted.path("validation_state").asText()).isEqualTo("Trusted");
            assertThat(codes(trusted, "success")).contains("timeStamp.validated", "timeStamp.trusted");

            // Ours agrees.
            dev.yuanjian.verify.Report verified = app.verifier().verify(labelled);
            assertThat(verified.finding(C2paMark.NAME).orElseThrow().view().toString())
                    .contains("valid=true", "timeStamp={time=" + tsa.issued.get(tsa.issued.size() - 1), "validated=true");
        }
    }

    /** A 640 x 480 image of the format {@code name} ends with (WebP: lossless, made byte by byte). */
    private static byte[] image(String name) {
        return name.endsWith(".png") ? ImageFixtures.png(640, 480)
                : name.endsWith(".webp") ? WebpFixtures.lossless(640, 480) : ImageFixtures.jpeg(640, 480);
    }

    private static String mediaType(String name) {
        return name.endsWith(".png") ? "image/png" : name.endsWith(".webp") ? "image/webp" : "image/jpeg";
    }

    @ParameterizedTest
    @ValueSource(strings = {"propagated.png", "propagated.jpg"})
    void propagationKeepsTheCredentialsValidWithANewManifest(String name) throws Exception {
        byte[] image = name.endsWith(".png") ? ImageFixtures.png(320, 240) : ImageFixtures.jpeg(320, 240);
        Asset labelled = app.pipeline().label(new Pipeline.Request(Asset.of(name, image), Set.of(), "test-model",
                Optional.empty())).labelled();

        Pipeline.Result propagated = app.pipeline().propagate(labelled, Optional.empty());
        String mediaType = name.endsWith(".png") ? "image/png" : "image/jpeg";
        JsonNode report = validate(Files.write(dir.resolve(name), propagated.labelled().bytes()), mediaType,
                Optional.of(rootPem()));

        assertThat(report.path("validation_state").asText()).as(report.toPrettyString()).isEqualTo("Trusted");
        assertThat(report.path("manifests")).hasSize(2);
        assertThat(report.toString()).contains("ingredient.manifest.validated").doesNotContain("mismatch");
        assertThat(propagated.marks()).contains(C2paMark.NAME);
        dev.yuanjian.verify.Report verified = app.verifier().verify(propagated.labelled());
        assertThat(verified.finding(C2paMark.NAME).orElseThrow().view().toString()).contains("valid=true");
        assertThat(verified.verdict()).isInstanceOf(dev.yuanjian.verify.Verdict.Intact.class);
    }

    @org.junit.jupiter.api.Test
    void leftOutTheManifestRemovesAnEarlierOneThatLabellingWouldBreak() throws Exception {
        Asset labelled = app.pipeline().label(new Pipeline.Request(Asset.of("a.png", ImageFixtures.png(64, 48)), Set.of(),
                "test-model", Optional.empty())).labelled();
        Pipeline.Result again = app.pipeline().label(new Pipeline.Request(labelled.withBytes(labelled.bytes()),
                Set.of(C2paMark.NAME), "test-model", Optional.empty()));

        assertThat(new dev.yuanjian.container.PngContainer().manifestSlot().orElseThrow().read(again.labelled())).isEmpty();
        assertThat(again.marks()).doesNotContain(C2paMark.NAME);
        assertThat(app.verifier().verify(again.labelled()).finding(C2paMark.NAME).orElseThrow().present()).isFalse();
    }

    private static String pem(java.security.cert.X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    /** A JPEG with Exif written the way cameras do (APP1 after SOI), so the store goes after it. */
    private static byte[] withExif(byte[] jpeg) {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] payload = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 6);
        System.arraycopy(tiff, 0, payload, 6, tiff.length);
        int len = payload.length + 2;
        byte[] out = new byte[jpeg.length + 4 + payload.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) (len >>> 8);
        out[5] = (byte) len;
        System.arraycopy(payload, 0, out, 6, payload.length);
        System.arraycopy(jpeg, 2, out, 6 + payload.length, jpeg.length - 2);
        return out;
    }

    private Path rootPem() throws IOException {
        SignerCredentials credentials = SignerCredentials.loadOrCreate(dir.resolve("home/keys/c2pa.pem"), "unused");
        String pem = credentials.pem();
        int at = pem.lastIndexOf("-----BEGIN CERTIFICATE-----");
        return Files.writeString(dir.resolve("root.pem"), pem.substring(at));
    }

    private JsonNode validate(Path file, String mediaType, Optional<Path> anchors) throws Exception {
        return validate(file, mediaType, anchors, Optional.empty());
    }

    private JsonNode validate(Path file, String mediaType, Optional<Path> anchors, Optional<Path> tsaAnchors) throws Exception {
        List<String> command = new ArrayList<>(List.of(node.toString(), "validate.mjs", file.toString(), mediaType));
        anchors.ifPresent(a -> command.add(a.toString()));
        tsaAnchors.ifPresent(a -> command.add(a.toString()));
        Process p = new ProcessBuilder(command).directory(VALIDATOR.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        JsonNode report = JSON.readTree(out);
        assertThat(report.has("error")).as(report.toString()).isFalse();
        return report;
    }

    private static List<String> codes(JsonNode report, String kind) {
        List<String> codes = new ArrayList<>();
        report.path("validation_results").path("activeManifest").path(kind).forEach(c -> codes.add(c.path("code").asText()));
        return codes;
    }

    private static JsonNode assertion(JsonNode manifest, String label) {
        for (JsonNode a : manifest.path("assertions")) {
            if (a.path("label").asText().equals(label)) {
                return a.path("data");
            }
        }
        throw new AssertionError("no assertion " + label + " in " + manifest);
    }
}
