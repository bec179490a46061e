package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.VALUES;
import static dev.yuanjian.container.ContainerFixtures.handMadePdf;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.pdf;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PdfContainerTest {
    private final PdfContainer pdf = new PdfContainer();
    private static final List<String> EN = List.of("First page of an English report", "Second page", "Third and last page");

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("xref stream (PDFBox compressed)", pdf(EN, true)),
                Arguments.of("xref table", pdf(EN, false)),
                Arguments.of("hand-made with Info", handMadePdf("/Title (Hand made)/Author <FEFF6E90" + "9274>")),
                Arguments.of("hand-made without Info", handMadePdf(null)));
    }

    static Stream<Arguments> documentsAndValues() {
        List<Arguments> all = new ArrayList<>();
        documents().forEach(d -> VALUES.forEach(v -> all.add(Arguments.of(d.get()[0], d.get()[1], v))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("documentsAndValues")
    void valuesRoundTripInAnAppendedRevision(String name, byte[] original, String value) throws Exception {
        Asset out = pdf.withMetadata(Asset.of("a.pdf", original), KEY, value);
        assertThat(pdf.metadata(out, KEY)).contains(value);
        assertThat(Arrays.copyOf(out.bytes(), original.length)).as("original bytes untouched").isEqualTo(original);
        assertThat(occurrences(out.bytes(), "/AIGC")).isEqualTo(1);
        assertThat(occurrences(out.bytes(), PdfContainer.MARKER)).isEqualTo(1);
        pdf.check(out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void rewritingReplacesTheRevision(String name, byte[] original) throws Exception {
        Asset in = Asset.of("a.pdf", original);
        Asset once = pdf.withMetadata(in, KEY, label("A".repeat(64)));
        byte[] out = once.bytes();
        try (PDDocument doc = Loader.loadPDF(out)) {
            assertThat(doc.getNumberOfPages()).isGreaterThanOrEqualTo(1);
            if (name.equals("hand-made with Info")) {
                assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("Hand made");
                assertThat(doc.getDocumentInformation().getAuthor()).isEqualTo("源鉴");
            }
        }
        Asset twice = pdf.withMetadata(once, KEY, label("B".repeat(64)));
        assertThat(twice.bytes()).hasSameSizeAs(out);
        assertThat(occurrences(twice.bytes(), "/AIGC")).isEqualTo(1);
        assertThat(pdf.metadata(twice, KEY)).contains(label("B".repeat(64)));
        assertDifferOnlyInReservedCode1(out, twice.bytes());
        assertThat(pdf.withMetadata(twice, KEY, label("B".repeat(64))).bytes()).isEqualTo(twice.bytes());
        assertThat(pdf.withMetadata(in, KEY, label("B".repeat(64))).bytes()).isEqualTo(twice.bytes());

        // a longer value replaces the revision too: still one /AIGC, original still a prefix
        Asset thrice = pdf.withMetadata(twice, KEY, "源鉴 " + "C".repeat(100));
        assertThat(pdf.metadata(thrice, KEY)).contains("源鉴 " + "C".repeat(100));
        assertThat(occurrences(thrice.bytes(), "/AIGC")).isEqualTo(1);
        assertThat(Arrays.copyOf(thrice.bytes(), original.length)).isEqualTo(original);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void resultDoesNotDependOnTheValueReplaced(String name, byte[] original) throws Exception {
        Asset in = Asset.of("a.pdf", original);
        byte[] viaShort = pdf.withMetadata(pdf.withMetadata(in, KEY, "x"), KEY, label("F")).bytes();
        byte[] viaLong = pdf.withMetadata(pdf.withMetadata(in, KEY, "本内容" + label("0".repeat(300))), KEY, label("F")).bytes();
        assertThat(viaLong).isEqualTo(viaShort);
    }

    /** Goes with the label package: the codec's label revision is this container's revision for AIGC. */
    @Test
    void twoKeysHaveTheirOwnValues() throws Exception {
        MetadataKey other = new MetadataKey("C2PA", "urn:x", "x");
        Asset a = pdf.withMetadata(Asset.of("a.pdf", pdf(EN, false)), KEY, "one");
        Asset b = pdf.withMetadata(pdf.withMetadata(a, other, "two"), other, "three");
        assertThat(pdf.metadata(b, KEY)).contains("one");
        assertThat(pdf.metadata(b, other)).contains("three");
        assertThat(occurrences(b.bytes(), "/C2PA")).isEqualTo(1);
    }

    static Stream<Arguments> foreignForms() {
        String json = label("SIG0");
        return Stream.of(
                Arguments.of("literal", "/AIGC (" + json + ")", json),
                Arguments.of("hex string", "/AIGC <" + HexFormat.of().formatHex(json.getBytes(StandardCharsets.US_ASCII)) + ">", json),
                Arguments.of("escaped parentheses", "/AIGC (a\\(0\\) \\\\)", "a(0) \\"),
                Arguments.of("UTF-16", "/AIGC <FEFF6E909274>", "源鉴"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignForms")
    void readsValuesOtherToolsWrote(String name, String entry, String expected) throws Exception {
        Asset in = Asset.of("a.pdf", handMadePdf("/Title (t)" + entry));
        assertThat(pdf.metadata(in, KEY)).contains(expected);
    }

    @Test
    void aValueInAnEarlierRevisionIsHistoryNotASecondValue() throws Exception {
        Asset foreign = Asset.of("a.pdf", handMadePdf("/AIGC (old)"));
        Asset ours = pdf.withMetadata(foreign, KEY, "NEW");
        assertThat(pdf.metadata(ours, KEY)).contains("NEW");
        assertThat(occurrences(ours.bytes(), "/AIGC")).isEqualTo(2);
        Asset again = pdf.withMetadata(ours, KEY, "NEWER");
        assertThat(occurrences(again.bytes(), "/AIGC")).isEqualTo(2);
        assertThat(pdf.metadata(again, KEY)).contains("NEWER");
    }

    static Stream<Arguments> broken() {
        byte[] good = pdf(EN, false);
        return Stream.of(
                Arguments.of("two /AIGC keys", handMadePdf("/AIGC (a)/AIGC (b)"), "two /AIGC keys"),
                Arguments.of("AIGC is a name", handMadePdf("/AIGC /Yes"), "must be a string"),
                Arguments.of("garbage after the header", utf8("%PDF-1.7\nthis is no pdf\n"), "no document catalog"),
                Arguments.of("not a PDF", utf8("<html>hello</html>"), "not a PDF"),
                Arguments.of("empty", new byte[0], "not a PDF"),
                Arguments.of("truncated", Arrays.copyOf(good, good.length / 2), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenInputsAreFormatExceptions(String name, byte[] bytes, String message) {
        Asset in = Asset.of("bad.pdf", bytes);
        if (!name.equals("truncated")) {
            // PDFBox can read a cut-off file by repairing it; rewriting it is refused below.
            assertThatThrownBy(() -> pdf.metadata(in, KEY)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("bad.pdf").hasMessageContaining(message);
        }
        if (name.contains("AIGC")) {
            return; // a broken value can be overwritten: the revision replaces the whole Info dictionary
        }
        assertThatThrownBy(() -> pdf.check(in)).isInstanceOf(FormatException.class).hasMessageContaining("bad.pdf");
        if (name.equals("truncated")) {
            // viewers show what is left; labelling rewrites it whole first (PdfRealWorldTest), never appends to it
            assertThatThrownBy(() -> pdf.check(in)).hasMessageContaining("is damaged");
            return;
        }
        assertThatThrownBy(() -> pdf.withMetadata(in, KEY, "X")).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.pdf");
    }

    @Test
    void writingOverBrokenValuesLeavesOne() throws Exception {
        Asset two = pdf.withMetadata(Asset.of("a.pdf", handMadePdf("/AIGC (a)/AIGC /Name")), KEY, "S");
        assertThat(pdf.metadata(two, KEY)).contains("S");
    }

    @Test
    void anUpdateGoesBelowTheMetadataRevision() throws Exception {
        byte[] original = pdf(EN, true);
        Asset labelled = pdf.withMetadata(Asset.of("a.pdf", original), KEY, "V");
        byte[] suffix = utf8("\n% an update\n");
        Asset updated = pdf.updateBelowMetadata(labelled, a -> {
            assertThat(a.bytes()).isEqualTo(original);
            return ContainerFixtures.concat(a.bytes(), suffix);
        });
        byte[] below = ContainerFixtures.concat(original, suffix);
        assertThat(updated.bytes()).isEqualTo(pdf.withMetadata(Asset.of("a.pdf", below), KEY, "V").bytes());
        assertThat(pdf.withMetadata(updated, KEY, "W").bytes())
                .isEqualTo(pdf.withMetadata(Asset.of("a.pdf", below), KEY, "W").bytes());
        Asset plain = pdf.updateBelowMetadata(Asset.of("a.pdf", original), a -> ContainerFixtures.concat(a.bytes(), suffix));
        assertThat(plain.bytes()).isEqualTo(below);
    }

    @Test
    void signature() {
        assertThat(pdf.format()).isEqualTo("pdf");
        assertThat(pdf.mediaType()).isEqualTo("application/pdf");
        assertThat(pdf.signature().matchesMagic(utf8("junk\n".repeat(100) + "%PDF-1.4"))).isTrue();
        assertThat(pdf.signature().matchesMagic(utf8("<html>"))).isFalse();
        assertThat(pdf.textBody()).isEmpty();
    }

    /** Byte-level comparison: only the value's characters differ (same length, same place). */
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
        return ContainerFixtures.count(new String(hay, StandardCharsets.ISO_8859_1), needle);
    }

    @org.junit.jupiter.api.Test
    void aPdfOfMoreObjectsThanTheLimitIsRefusedBeforeItIsParsed() {
        // Reported: a 58 MB file of a million tiny objects ran the server out of a 1 GB heap.
        StringBuilder pdf = new StringBuilder("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
        for (int i = 3; i <= PdfContainer.MAX_OBJECTS + 3; i++) {
            pdf.append(i).append(" 0 obj<< /N ").append(i).append(" >>endobj\n");
        }
        pdf.append("trailer\n<< /Root 1 0 R /Size ").append(PdfContainer.MAX_OBJECTS + 4).append(" >>\n%%EOF\n");
        Asset big = Asset.of("many.pdf", pdf.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PdfContainer().open(big))
                .isInstanceOf(FormatException.class).hasMessageContaining("objects").hasMessageContaining("split the document");
        org.assertj.core.api.Assertions.assertThat(PdfContainer.objectKeywords(big.bytes(), Integer.MAX_VALUE))
                .isEqualTo(PdfContainer.MAX_OBJECTS + 3);
        // "endobj" and "obj" inside names or strings without a space before do not count.
        org.assertj.core.api.Assertions.assertThat(PdfContainer.objectKeywords(
                "1 0 obj<</Objx (nobj)>>endobj\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 10)).isEqualTo(1);
    }
}
