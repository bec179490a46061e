package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.handMadePdf;
import static dev.yuanjian.label.Fixtures.label;
import static dev.yuanjian.label.Fixtures.pdf;
import static dev.yuanjian.label.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.testing.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PdfCodecTest {
    private final PdfCodec codec = new PdfCodec();
    private static final List<String> EN = List.of("First page of an English report", "Second page", "Third and last page");
    private static final List<String> ZH = List.of("这是第一页的中文内容", "第二页的中文内容", "最后一页的中文内容");
    private static final String BARE = label("SIG0").toBareJson();

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("xref stream (PDFBox compressed)", pdf(EN, true)),
                Arguments.of("xref table", pdf(EN, false)),
                Arguments.of("hand-made with Info", handMadePdf("/Title (Hand made)/Author <FEFF6E90" + "9274>")),
                Arguments.of("hand-made without Info", handMadePdf(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void labelIsAnAppendedRevisionThatRelabellingReplaces(String name, byte[] original) throws Exception {
        Asset in = Asset.of("a.pdf", original);
        Asset once = codec.write(in, label("A".repeat(64)));
        byte[] out = once.bytes();
        assertThat(codec.read(once)).contains(label("A".repeat(64)));
        assertThat(Arrays.copyOf(out, original.length)).as("original bytes untouched").isEqualTo(original);
        assertThat(occurrences(out, "/AIGC")).isEqualTo(1);
        try (PDDocument doc = Loader.loadPDF(out)) {
            assertThat(doc.getNumberOfPages()).isGreaterThanOrEqualTo(1);
            if (name.equals("hand-made with Info")) {
                assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("Hand made");
                assertThat(doc.getDocumentInformation().getAuthor()).isEqualTo("源鉴");
            }
        }

        Asset twice = codec.write(once, label("B".repeat(64)));
        assertThat(twice.bytes()).hasSameSizeAs(out);
        assertThat(occurrences(twice.bytes(), "/AIGC")).isEqualTo(1);
        assertThat(codec.read(twice)).contains(label("B".repeat(64)));
        assertDifferOnlyInReservedCode1(out, twice.bytes());
        assertThat(codec.write(twice, label("B".repeat(64))).bytes()).isEqualTo(twice.bytes());
        assertThat(codec.write(in, label("B".repeat(64))).bytes()).isEqualTo(twice.bytes());

        // a longer label replaces the revision too: still one /AIGC, original still a prefix
        AigcLabel longer = new AigcLabel("2", "P", "ID", "C".repeat(100), "Q", "ID2", "R2");
        Asset thrice = codec.write(twice, longer);
        assertThat(codec.read(thrice)).contains(longer);
        assertThat(occurrences(thrice.bytes(), "/AIGC")).isEqualTo(1);
        assertThat(Arrays.copyOf(thrice.bytes(), original.length)).isEqualTo(original);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void digestIgnoresOnlyTheReservedCode1Value(String name, byte[] original) throws Exception {
        Asset in = Asset.of("a.pdf", original);
        assertThat(codec.protectedDigest(in)).isEqualTo(Bytes.sha256(original));
        Asset placeholder = codec.write(in, label("0".repeat(64)));
        byte[] digest = codec.protectedDigest(placeholder);
        Asset signed = codec.write(placeholder, label("9".repeat(64)));
        assertThat(codec.protectedDigest(signed)).isEqualTo(digest);

        AigcLabel otherField = new AigcLabel("2", label("x").contentProducer(), label("x").produceId(), "9".repeat(64),
                label("x").contentPropagator(), label("x").propagateId(), "");
        assertThat(codec.protectedDigest(codec.write(in, otherField))).isNotEqualTo(digest);
        byte[] tampered = placeholder.bytes().clone();
        int at = indexOf(tampered, "%%EOF");
        tampered[at - 2] ^= 1; // a byte of the original, before its first %%EOF
        assertThat(codec.protectedDigest(placeholder.withBytes(tampered))).isNotEqualTo(digest);
    }

    static Stream<Arguments> foreignForms() {
        String json = label("SIG0").toWrappedJson();
        return Stream.of(
                Arguments.of("literal wrapped", "/AIGC (" + json + ")"),
                Arguments.of("literal bare", "/AIGC (" + BARE + ")"),
                Arguments.of("hex string", "/AIGC <" + HexFormat.of().formatHex(json.getBytes(StandardCharsets.US_ASCII)) + ">"),
                Arguments.of("escaped parentheses", "/AIGC (" + BARE.replace("SIG0", "S\\(0") + ")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignForms")
    void readsAndDigestsLabelsOtherToolsWrote(String name, String entry) throws Exception {
        Asset in = Asset.of("a.pdf", handMadePdf("/Title (t)" + entry));
        AigcLabel read = codec.read(in).orElseThrow();
        assertThat(read.contentProducer()).isEqualTo(label("x").contentProducer());
        assertThat(read.reservedCode1()).isIn("SIG0", "S(0");
        String changed = new String(in.bytes(), StandardCharsets.ISO_8859_1)
                .replace("SIG0", "SIG1").replace("S\\(0", "S\\(1")
                .replace(HexFormat.of().formatHex("SIG0".getBytes()), HexFormat.of().formatHex("SIG1".getBytes()));
        Asset other = in.withBytes(changed.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(other.bytes()).isNotEqualTo(in.bytes());
        assertThat(codec.protectedDigest(other)).isEqualTo(codec.protectedDigest(in));
    }

    @Test
    void aLabelInsideACompressedObjectStreamIsReadButMustBeRewrittenToBeProtected() throws Exception {
        byte[] compressed;
        try (PDDocument doc = Loader.loadPDF(pdf(EN, false))) {
            doc.getDocumentInformation().setCustomMetadataValue("AIGC", label("SIG0").toWrappedJson());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.DEFAULT_COMPRESSION);
            compressed = out.toByteArray();
        }
        Asset in = Asset.of("packed.pdf", compressed);
        assertThat(occurrences(compressed, "ReservedCode1")).as("Info is compressed").isZero();
        assertThat(codec.read(in)).contains(label("SIG0"));
        assertThatThrownBy(() -> codec.protectedDigest(in)).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("write the label again");
        Asset rewritten = codec.write(in, label("SIG0"));
        assertThat(codec.protectedDigest(codec.write(rewritten, label("SIG1"))))
                .isEqualTo(codec.protectedDigest(rewritten));
    }

    @Test
    void aLabelInAnEarlierRevisionIsHistoryNotASecondLabel() throws Exception {
        Asset foreign = Asset.of("a.pdf", handMadePdf("/AIGC (" + BARE + ")"));
        Asset ours = codec.write(foreign, label("NEW"));
        assertThat(codec.read(ours)).contains(label("NEW"));
        assertThat(occurrences(ours.bytes(), "/AIGC")).isEqualTo(2);
        Asset again = codec.write(ours, label("NEWER"));
        assertThat(occurrences(again.bytes(), "/AIGC")).isEqualTo(2);
        assertThat(codec.read(again)).contains(label("NEWER"));
    }

    static Stream<Arguments> broken() {
        byte[] good = pdf(EN, false);
        return Stream.of(
                Arguments.of("two /AIGC keys", handMadePdf("/AIGC (" + BARE + ")/AIGC (" + BARE + ")"), "two /AIGC keys"),
                Arguments.of("invalid JSON", handMadePdf("/AIGC ({\"Label\":)"), "not valid JSON"),
                Arguments.of("AIGC is a name", handMadePdf("/AIGC /Yes"), "must be a string"),
                Arguments.of("garbage after the header", utf8("%PDF-1.7\nthis is no pdf\n"), "corrupt"),
                Arguments.of("not a PDF", utf8("<html>hello</html>"), "not a PDF"),
                Arguments.of("empty", new byte[0], "not a PDF"),
                Arguments.of("truncated", Arrays.copyOf(good, good.length / 2), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenInputsAreLabelFormatExceptions(String name, byte[] bytes, String message) {
        Asset in = Asset.of("bad.pdf", bytes);
        if (!name.equals("truncated")) {
            // PDFBox can read a cut-off file by repairing it; labelling it is refused below.
            assertThatThrownBy(() -> codec.read(in)).isInstanceOf(LabelFormatException.class)
                    .hasMessageContaining("bad.pdf").hasMessageContaining(message);
            assertThatThrownBy(() -> codec.protectedDigest(in)).isInstanceOf(LabelFormatException.class);
        }
        if (name.contains("AIGC") || name.equals("invalid JSON")) {
            return; // a broken label can be overwritten: write replaces the whole Info dictionary
        }
        assertThatThrownBy(() -> codec.write(in, label("X"))).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("bad.pdf");
        assertThatThrownBy(() -> codec.addExplicit(in, ExplicitLabel.DEFAULT)).isInstanceOf(LabelFormatException.class);
    }

    @Test
    void writingOverBrokenLabelsLeavesOne() throws Exception {
        Asset two = codec.write(Asset.of("a.pdf", handMadePdf("/AIGC (" + BARE + ")/AIGC ({)")), label("S"));
        assertThat(codec.read(two)).contains(label("S"));
    }

    @Test
    void encryptedPdfsAreRefusedClearly() throws Exception {
        byte[] encrypted;
        try (PDDocument doc = Loader.loadPDF(pdf(EN, false))) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            encrypted = out.toByteArray();
        }
        Asset in = Asset.of("secret.pdf", encrypted);
        assertThatThrownBy(() -> codec.read(in)).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("secret.pdf is an encrypted PDF").hasMessageContaining("qpdf --decrypt");
        assertThatThrownBy(() -> codec.write(in, label("S"))).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("encrypted");
    }

    static Stream<Arguments> explicitEnglish() {
        return Stream.of(Arguments.of(ExplicitLabel.Position.START), Arguments.of(ExplicitLabel.Position.END));
    }

    @ParameterizedTest(name = "en {0}")
    @MethodSource("explicitEnglish")
    void englishExplicitLabelIsDrawnOnTheFirstOrLastPage(ExplicitLabel.Position position) throws Exception {
        assertExplicit(codec, pdf(EN, false), position, "AI-generated content");
    }

    @ParameterizedTest(name = "zh {0}")
    @MethodSource("explicitEnglish")
    void chineseExplicitLabelNeedsATrueTypeCjkFont(ExplicitLabel.Position position) throws Exception {
        requireCjkFont();
        assertExplicit(codec, pdf(ZH, true), position, "本内容由人工智能生成");
    }

    @Test
    void withoutACjkFontTheEnglishWordingIsDrawn() throws Exception {
        requireCjkFont();
        assertExplicit(new PdfCodec(List.of()), pdf(ZH, false), ExplicitLabel.Position.START, "AI-generated content");
    }

    @Test
    void explicitLabelOnPagesWithInheritedResourcesKeepsTheirFonts() throws Exception {
        byte[] original = Fixtures.inheritedResourcesPdf();
        for (ExplicitLabel.Position position : ExplicitLabel.Position.values()) {
            ExplicitLabel explicit = new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), ExplicitLabel.DEFAULT.english(), position);
            Asset out = codec.addExplicit(Asset.of("a.pdf", original), explicit);
            try (PDDocument doc = Loader.loadPDF(out.bytes())) {
                for (int page = 1; page <= 2; page++) {
                    PDFTextStripper stripper = new PDFTextStripper();
                    stripper.setStartPage(page);
                    stripper.setEndPage(page);
                    String text = stripper.getText(doc);
                    assertThat(text).as("page " + page).contains("Inherited font text");
                    boolean labelled = (page == 1) == (position == ExplicitLabel.Position.START);
                    assertThat(text.contains("AI-generated content")).as("page " + page).isEqualTo(labelled);
                    // every font a page's content names must be in its resources
                    var resources = doc.getPage(page - 1).getResources();
                    assertThat(resources.getFont(org.apache.pdfbox.cos.COSName.getPDFName("F1"))).isNotNull();
                    // the label's own font is saved where the page can find it
                    assertThat(resources.getFontNames()).hasSize(labelled ? 2 : 1);
                    for (var name : resources.getFontNames()) {
                        assertThat(resources.getFont(name)).as(name.getName()).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void explicitLabelOnALabelledFileKeepsTheLabelRevisionLast() throws Exception {
        Asset labelled = codec.write(Asset.of("a.pdf", pdf(EN, true)), label("0".repeat(64)));
        Asset both = codec.addExplicit(labelled, ExplicitLabel.DEFAULT);
        assertThat(codec.read(both)).contains(label("0".repeat(64)));
        assertThat(codec.hasExplicit(both, ExplicitLabel.DEFAULT)).isTrue();
        assertThat(occurrences(both.bytes(), "/AIGC")).isEqualTo(1);
        Asset signed = codec.write(both, label("1".repeat(64)));
        assertThat(signed.bytes()).hasSameSizeAs(both.bytes());
        assertThat(codec.protectedDigest(signed)).isEqualTo(codec.protectedDigest(both));
    }

    private void assertExplicit(PdfCodec pdfCodec, byte[] original, ExplicitLabel.Position position, String wording)
            throws Exception {
        ExplicitLabel explicit = new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), ExplicitLabel.DEFAULT.english(), position);
        Asset in = Asset.of("a.pdf", original);
        assertThat(pdfCodec.hasExplicit(in, explicit)).isFalse();
        Asset out = pdfCodec.addExplicit(in, explicit);
        assertThat(Arrays.copyOf(out.bytes(), original.length)).as("incremental update").isEqualTo(original);
        assertThat(pdfCodec.hasExplicit(out, explicit)).isTrue();
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            int page = position == ExplicitLabel.Position.START ? 1 : doc.getNumberOfPages();
            stripper.setStartPage(page);
            stripper.setEndPage(page);
            String text = stripper.getText(doc).strip();
            if (position == ExplicitLabel.Position.START) {
                assertThat(text).startsWith(wording);
            } else {
                assertThat(text).endsWith(wording);
            }
        }
        assertThat(pdfCodec.addExplicit(out, explicit).bytes()).isEqualTo(out.bytes());
    }

    private static void requireCjkFont() {
        if (!Fixtures.cjkFontInstalled()) {
            ExternalTools.missing(Fixtures.CJK_FONT + " not found; install it with: apt-get install fonts-wqy-zenhei");
        }
    }

    private static void assertDifferOnlyInReservedCode1(byte[] a, byte[] b) {
        int value = indexOf(a, "\"ReservedCode1\":\"") + "\"ReservedCode1\":\"".length();
        int end = value;
        while (a[end] != '"') {
            end++;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                assertThat(i).as("differing byte").isBetween(value, end - 1);
            }
        }
    }

    private static int indexOf(byte[] hay, String needle) {
        return new String(hay, StandardCharsets.ISO_8859_1).indexOf(needle);
    }

    private static int occurrences(byte[] hay, String needle) {
        return Fixtures.count(new String(hay, StandardCharsets.ISO_8859_1), needle);
    }
}
