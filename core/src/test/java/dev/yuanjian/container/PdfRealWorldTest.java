package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.handMadePdf;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.pdf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.container.PdfFixtures.Cipher;
import dev.yuanjian.container.PdfFixtures.Damage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encrypted and damaged PDFs, and PDFs carrying a C2PA store, at the container's level. */
class PdfRealWorldTest {
    private final PdfContainer pdf = new PdfContainer();

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void encryptedPdfsThatOpenWithTheEmptyPasswordTakeAnEncryptedRevision(Cipher cipher) throws Exception {
        byte[] original = PdfFixtures.encrypted(pdf(PdfFixtures.PAGES, false), cipher, "", true);
        Asset in = Asset.of("e.pdf", original);
        pdf.check(in);
        assertThat(pdf.metadata(in, KEY)).isEmpty();

        Asset out = pdf.withMetadata(in, KEY, label("A".repeat(64)));
        assertThat(Arrays.copyOf(out.bytes(), original.length)).as("original bytes untouched").isEqualTo(original);
        String raw = new String(out.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(raw).as("the label is not in clear text").doesNotContain("ProduceID").contains("/Encrypt ");
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            assertThat(doc.isEncrypted()).isTrue();
            assertThat(doc.getDocumentInformation().getCustomMetadataValue("AIGC")).isEqualTo(label("A".repeat(64)));
            assertThat(doc.getDocumentInformation().getTitle()).as("the old Info strings, encrypted again").isEqualTo("Fixture");
            assertThat(doc.getNumberOfPages()).isEqualTo(PdfFixtures.PAGES.size());
        }
        assertThat(PdfFixtures.text(out.bytes())).contains(PdfFixtures.PAGES);
        assertThat(pdf.metadata(out, KEY)).contains(label("A".repeat(64)));
        pdf.check(out);

        // still a pure function of the file without the value: rewriting replaces, never stacks
        Asset again = pdf.withMetadata(out, KEY, label("B".repeat(64)));
        assertThat(again.bytes()).isEqualTo(pdf.withMetadata(in, KEY, label("B".repeat(64))).bytes()).hasSameSizeAs(out.bytes());
        assertThat(pdf.withMetadata(in, KEY, label("A".repeat(64))).bytes()).isEqualTo(out.bytes());
        assertThat(pdf.notices(out)).extracting(Notice::en).anyMatch(n -> n.contains("Encrypted PDF") && n.contains(" allow labelling"));
    }

    @Test
    void encryptedWithAnXrefStream() throws Exception {
        byte[] original = PdfFixtures.encrypted(pdf(PdfFixtures.PAGES, true), Cipher.AES_256, "", true);
        Asset out = pdf.withMetadata(Asset.of("e.pdf", original), KEY, "值 value");
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            assertThat(doc.getDocumentInformation().getCustomMetadataValue("AIGC")).isEqualTo("值 value");
        }
    }

    @Test
    void modificationNotPermittedIsRefusedButReadable() throws Exception {
        Asset in = Asset.of("locked.pdf", PdfFixtures.encrypted(pdf(PdfFixtures.PAGES, false), Cipher.AES_128, "", false));
        assertThatThrownBy(() -> pdf.check(in)).isInstanceOf(FormatException.class)
                .hasMessageContaining("locked.pdf is an encrypted PDF whose permissions do not allow changing it")
                .hasMessageContaining("can still be verified");
        assertThat(pdf.metadata(in, KEY)).isEmpty();
        assertThat(pdf.notices(in)).extracting(Notice::en).anyMatch(n -> n.contains("do not allow labelling"));
    }

    @Test
    void aUserPasswordIsSaidPlainly() {
        Asset in = Asset.of("secret.pdf", PdfFixtures.encrypted(pdf(PdfFixtures.PAGES, false), Cipher.AES_256, "user", true));
        assertThatThrownBy(() -> pdf.metadata(in, KEY)).isInstanceOf(FormatException.class)
                .hasMessageContaining("secret.pdf is an encrypted PDF that needs a password to open")
                .hasMessageNotContaining("corrupt").hasCauseInstanceOf(InvalidPasswordException.class);
        assertThatThrownBy(() -> pdf.withMetadata(in, KEY, "x")).hasMessageContaining("needs a password");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedCrossReferencesAreRepairedThenLabelled(Damage damage) throws Exception {
        byte[] sound = handMadePdf("/Title (Hand made)");
        assertThat(PdfXref.damage(sound)).isEmpty();
        Asset in = Asset.of("d.pdf", PdfFixtures.damaged(sound, damage));
        assertThat(PdfXref.damage(in.bytes())).as("a strict reader's first fault").isPresent();
        assertThat(pdf.notices(in)).extracting(Notice::en).anyMatch(n -> n.startsWith("The PDF is damaged"));
        assertThatThrownBy(() -> pdf.check(in)).hasMessageContaining("d.pdf is damaged").hasMessageContaining("repairs it");

        Repaired repaired = pdf.repaired(in);
        assertThat(repaired.notices()).singleElement().extracting(Notice::en).asString().contains("repaired");
        assertThat(repaired.notices().get(0).zh()).contains("修复");
        assertThat(pdf.repaired(in).asset().bytes()).as("deterministic").isEqualTo(repaired.asset().bytes());
        assertThat(PdfXref.damage(repaired.asset().bytes())).isEmpty();
        pdf.check(repaired.asset());
        assertThat(pdf.repaired(repaired.asset()).notices()).isEmpty();

        Asset out = pdf.withMetadata(in, KEY, "V");
        assertThat(out.bytes()).isEqualTo(pdf.withMetadata(repaired.asset(), KEY, "V").bytes());
        assertThat(pdf.metadata(out, KEY)).contains("V");
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("Hand made");
        }
    }

    @Test
    void wrongOffsetsInACrossReferenceStreamAreFound() throws Exception {
        for (boolean predicted : new boolean[] {true, false}) {
            byte[] sound = PdfFixtures.withXrefStream(predicted, 0);
            assertThat(PdfXref.damage(sound)).isEmpty();
            assertThat(pdf.metadata(Asset.of("s.pdf", sound), new MetadataKey("Title", "urn:x", "x"))).contains("streamed");
            assertThat(PdfXref.damage(ContainerFixtures.pdf(PdfFixtures.PAGES, true))).as("PDFBox's own").isEmpty();

            Asset shifted = Asset.of("s.pdf", PdfFixtures.withXrefStream(predicted, 7));
            assertThat(PdfXref.damage(shifted.bytes())).get().extracting(PdfXref.Damage::en).asString()
                    .contains("cross-reference stream gives a wrong offset");
            Asset out = pdf.withMetadata(shifted, KEY, "V");
            assertThat(pdf.metadata(out, KEY)).contains("V");
            assertThat(PdfXref.damage(out.bytes())).isEmpty();
        }
    }

    @Test
    void aCutOffUpdateIsReadAsViewersDoAndSaidSo() throws Exception {
        Asset labelled = pdf.withMetadata(Asset.of("t.pdf", pdf(PdfFixtures.PAGES, false)), KEY, "NEW");
        byte[] b = labelled.bytes();
        String s = new String(b, StandardCharsets.ISO_8859_1);
        // the label revision loses its cross-reference: readers show the revision before it
        Asset cut = Asset.of("t.pdf", Arrays.copyOf(b, s.lastIndexOf("xref")));
        assertThat(pdf.metadata(cut, KEY)).isEmpty();
        assertThat(pdf.notices(cut)).extracting(Notice::en)
                .anyMatch(n -> n.contains("without its startxref") && n.contains("what a viewer shows"));
    }

    @Test
    void filesNoReaderCanShowAreRefusedWithTheReason() {
        String noPages = "%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n";
        String noRoot = "%PDF-1.4\n1 0 obj\n<</Producer (nothing else)>>\nendobj\n";
        for (String body : new String[] {noPages, noRoot}) {
            byte[] b = (body + "trailer\n<</Size 3>>\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
            Asset in = Asset.of("empty.pdf", b);
            assertThatThrownBy(() -> pdf.repaired(in)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("empty.pdf").hasMessageContaining(body == noPages ? "has no pages" : "no document catalog")
                    .hasMessageContaining("no reader can show");
        }
    }

    @Test
    void aC2paManifestStoreIsNoted() throws Exception {
        byte[] plain = pdf(PdfFixtures.PAGES, true);
        assertThat(pdf.notices(Asset.of("p.pdf", plain))).isEmpty();
        for (boolean associated : new boolean[] {true, false}) {
            Asset in = Asset.of("c.pdf", PdfFixtures.withC2paManifest(plain, associated));
            assertThat(pdf.notices(in)).containsExactly(new Notice("C2PA manifest present (not validated here)",
                    "含有 C2PA 清单（此处未验证）"));
        }
    }
}
