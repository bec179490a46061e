package dev.yuanjian.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.PdfFixtures;
import dev.yuanjian.container.PdfFixtures.Cipher;
import dev.yuanjian.container.PdfFixtures.Damage;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.mark.Message;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Label then verify PDFs as the real world has them (issue 9): encrypted with an empty user
 * password, locked against changes, behind a user password, with damaged cross-references, with a
 * C2PA manifest store. Every file is made here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealWorldPdfTest {
    Yuanjian app;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterAll
    void close() {
        app.close();
    }

    private Pipeline.Result label(Asset asset) throws FormatException {
        return app.pipeline().label(new Pipeline.Request(asset, Set.of(), "m", Optional.empty()));
    }

    private static byte[] pages() {
        return ContainerFixtures.pdf(PdfFixtures.PAGES, false);
    }

    @ParameterizedTest
    @EnumSource(value = Cipher.class, names = {"RC4_128", "AES_128", "AES_256"})
    void encryptedPdfsAreLabelledAndVerified(Cipher cipher) throws Exception {
        Asset in = Asset.of("e.pdf", PdfFixtures.encrypted(pages(), cipher, "", true));
        Report before = app.verifier().verify(in);
        assertThat(before.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(before.notes()).extracting(Message::en).anyMatch(n -> n.startsWith("Encrypted PDF"));

        Pipeline.Result result = label(in);
        assertThat(result.notices()).isEmpty();
        Report report = app.verifier().verify(result.labelled());
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(((Verdict.Intact) report.verdict()).entry().index()).isEqualTo(result.logIndex());
        assertThat(report.finding(ExplicitLabelMark.NAME).orElseThrow().present()).isTrue();
        assertThat(((ImplicitLabelMark.LabelFinding) report.finding(ImplicitLabelMark.NAME).orElseThrow()).label())
                .map(l -> l.produceId()).contains(result.contentId());
        try (PDDocument doc = Loader.loadPDF(result.labelled().bytes())) {
            assertThat(doc.isEncrypted()).isTrue();
            assertThat(doc.getNumberOfPages()).isEqualTo(PdfFixtures.PAGES.size());
        }
        assertThat(PdfFixtures.text(result.labelled().bytes())).contains(PdfFixtures.PAGES);

        // a platform adds itself as propagator: the same encrypted metadata revision, replaced
        Pipeline.Result propagated = app.pipeline().propagate(result.labelled(), Optional.empty());
        Report again = app.verifier().verify(propagated.labelled());
        assertThat(again.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(((Verdict.Intact) again.verdict()).role()).isEqualTo(dev.yuanjian.mark.Claim.Role.PRODUCER);
        assertThat(propagated.label().propagateId()).isEqualTo(propagated.contentId());
    }

    @Test
    void aPdfThatMayNotBeChangedIsRefusedAndStillVerified() throws Exception {
        Asset in = Asset.of("locked.pdf", PdfFixtures.encrypted(pages(), Cipher.AES_256, "", false));
        long before = app.log().size();
        assertThatThrownBy(() -> label(in)).isInstanceOf(FormatException.class)
                .hasMessageContaining("permissions do not allow changing it");
        assertThat(app.log().size()).isEqualTo(before);
        Report report = app.verifier().verify(in);
        assertThat(report.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(report.notes()).extracting(Message::en).anyMatch(n -> n.contains("do not allow labelling"));
    }

    @Test
    void aPdfBehindAUserPasswordCannotBeVerifiedAndSaysWhy() {
        Asset in = Asset.of("secret.pdf", PdfFixtures.encrypted(pages(), Cipher.AES_128, "pw", true));
        assertThatThrownBy(() -> app.verifier().verify(in)).isInstanceOf(FormatException.class)
                .hasMessageContaining("needs a password to open").hasMessageNotContaining("corrupt");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedPdfsAreRepairedLabelledAndVerified(Damage damage) throws Exception {
        Asset in = Asset.of("d.pdf", PdfFixtures.damaged(pages(), damage));
        Report unlabelled = app.verifier().verify(in);
        assertThat(unlabelled.notes()).extracting(Message::en).anyMatch(n -> n.startsWith("The PDF is damaged"));

        Pipeline.Result result = label(in);
        assertThat(result.notices()).singleElement().satisfies(n -> {
            assertThat(n.en()).contains("repaired");
            assertThat(n.zh()).contains("修复");
        });
        Report report = app.verifier().verify(result.labelled());
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(report.notes()).extracting(Message::en).noneMatch(n -> n.contains("damaged"));
        assertThat(report.finding(ExplicitLabelMark.NAME).orElseThrow().present()).isTrue();
        assertThat(PdfFixtures.text(result.labelled().bytes())).contains(PdfFixtures.PAGES);
    }

    @Test
    void aC2paManifestIsNotedByVerify() throws Exception {
        Asset in = Asset.of("c.pdf", PdfFixtures.withC2paManifest(pages(), true));
        assertThat(app.verifier().verify(in).notes())
                .contains(new Message("C2PA manifest present (not validated here)", "含有 C2PA 清单（此处未验证）"));
        Report labelled = app.verifier().verify(label(in).labelled());
        assertThat(labelled.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(labelled.notes()).extracting(Message::en).contains("C2PA manifest present (not validated here)");
    }
}
