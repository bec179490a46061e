package dev.yuanjian.c2pa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment's trust list ({@code c2pa.trustAnchors}): another producer's manifest is "valid,
 * signer not trusted here" until its root (or an intermediate of its chain) is listed, and then
 * "trusted"; this installation's own root stays trusted either way.
 */
class TrustListTest {
    /** Another producer's chain: root, intermediate, signer, as an AI service's would be. */
    private static final SignerCredentials OTHER = SignerCredentials.developmentChain("another producer", Instant.now());
    private static final SignerCredentials THIRD = SignerCredentials.developmentChain("a third producer", Instant.now());

    @TempDir
    Path dir;
    Yuanjian app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    private Finding verify(Asset asset, Map<String, String> env) throws Exception {
        if (app != null) {
            app.close();
        }
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), env);
        return app.verifier().verify(asset).finding(C2paMark.NAME).orElseThrow();
    }

    private static Asset theirs() throws Exception {
        PngContainer png = new PngContainer();
        return ManifestStore.embedSigned(Asset.of("theirs.png", ImageFixtures.png(64, 48)), png.manifestSlot().orElseThrow(),
                new ManifestStore.Content("their picture", "OtherTool", "1", Map.of()), OTHER).asset();
    }

    private Path bundle(String name, X509Certificate... certs) throws Exception {
        StringBuilder pem = new StringBuilder("# Trust list for tests, in the C2PA trust list layout\n");
        for (X509Certificate c : certs) {
            pem.append("\n").append(c.getSubjectX500Principal().getName()).append("\n-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return Files.writeString(dir.resolve(name), pem);
    }

    @Test
    void anotherProducersManifestIsTrustedOnlyWhenItsRootIsListed() throws Exception {
        Asset theirs = theirs();

        Finding unlisted = verify(theirs, Map.of());
        assertThat(unlisted.summary().en()).isEqualTo("C2PA Content Credentials valid, signer not trusted here");
        assertThat(unlisted.view().toString()).contains("valid=true", "trusted=false");

        Path wrong = bundle("third.pem", THIRD.root().orElseThrow());
        assertThat(verify(theirs, Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", wrong.toString())).view().toString())
                .contains("trusted=false");

        Path listed = bundle("list.pem", THIRD.root().orElseThrow(), OTHER.root().orElseThrow());
        Finding trusted = verify(theirs, Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", listed.toString()));
        assertThat(trusted.summary().en()).isEqualTo("C2PA Content Credentials valid and trusted");

        // An intermediate may be listed on its own, as trust lists sometimes do.
        Path intermediate = bundle("intermediate.pem", OTHER.chain().get(1));
        assertThat(verify(theirs, Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", intermediate.toString())).view().toString())
                .contains("trusted=true");
    }

    @Test
    void ourOwnManifestsStayTrustedWithAListConfigured() throws Exception {
        Path listed = bundle("list.pem", OTHER.root().orElseThrow());
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of("YUANJIAN_C2PA_TRUST_ANCHORS",
                listed.toString()));
        Asset ours = app.pipeline().label(new Pipeline.Request(Asset.of("ours.png", ImageFixtures.png(64, 48)), Set.of(),
                "test-model", Optional.empty())).labelled();

        assertThat(app.verifier().verify(ours).finding(C2paMark.NAME).orElseThrow().view().toString()).contains("trusted=true");
        assertThat(app.verifier().verify(theirs()).finding(C2paMark.NAME).orElseThrow().view().toString()).contains("trusted=true");
    }

    /** Refused when the product opens (a server does not start), not at the first image verified. */
    @Test
    void aMisconfiguredTrustListIsAClearError() throws Exception {
        assertThatThrownBy(() -> verify(theirs(), Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", dir.resolve("missing.pem").toString())))
                .hasMessageContaining("c2pa.trustAnchors").hasMessageContaining("missing.pem").hasMessageContaining("not a file");

        Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificates here\n");
        assertThatThrownBy(() -> verify(theirs(), Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", empty.toString())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("c2pa.trustAnchors").hasMessageContaining("empty.pem").hasMessageContaining("holds no certificate");

        // A key file given by mistake: refused, and its key is not echoed.
        Path key = Files.writeString(dir.resolve("key.pem"), OTHER.pem());
        assertThatThrownBy(() -> verify(theirs(), Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", key.toString())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("c2pa.trustAnchors").hasMessageContaining("key.pem")
                .hasMessageContaining("where only certificates belong");

        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> verify(theirs(), Map.of("YUANJIAN_C2PA_TRUST_ANCHORS", broken.toString())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("c2pa.trustAnchors").hasMessageContaining("broken.pem").hasMessageContaining("cannot be read");
    }
}
