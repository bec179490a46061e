package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.render.PdfPainter;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reported fault, through the whole product: a PDF whose label would have landed on its text
 * is labelled, verified intact with its visible label found, and labelled again without a second
 * visible label.
 */
class PdfVisibleLabelTest {
    @TempDir
    Path dir;
    Yuanjian app;

    @BeforeEach
    void open() throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterEach
    void close() {
        app.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "200x50:BT /F1 12 Tf 4 22 Td (Text where the label used to go) Tj ET",
        "200x50:BT /F1 12 Tf 4 38 Td (Top line of a tiny page) Tj 0 -16 Td (Second line) Tj 0 -16 Td (Third) Tj ET",
        "595x842:BT /F1 10 Tf 6 833 Td 11 TL (Crowded top line) ' (Next line) ' 0 -800 Td (Crowded bottom line) ' ET",
        "300x300:BT /F1 12 Tf 40 150 Td (Body) Tj 1 0 0 1 30 280 Tm ET (Stray text outside BT and ET) Tj"})
    void labelledThenVerifiedWithItsVisibleLabel(String page) throws Exception {
        String[] size = page.substring(0, page.indexOf(':')).split("x");
        byte[] original = pdf(Float.parseFloat(size[0]), Float.parseFloat(size[1]), page.substring(page.indexOf(':') + 1));

        Pipeline.Result first = label(Asset.of("a.pdf", original));
        assertThat(Arrays.copyOf(first.labelled().bytes(), original.length)).isEqualTo(original);
        Report report = app.verifier().verify(first.labelled());
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(report.finding(ExplicitLabelMark.NAME).orElseThrow().present()).as("visible label found").isTrue();

        Pipeline.Result second = label(first.labelled());
        Report again = app.verifier().verify(second.labelled());
        assertThat(again.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(again.finding(ExplicitLabelMark.NAME).orElseThrow().present()).isTrue();
        assertThat(tags(second.labelled().bytes())).as("one visible label").isEqualTo(1);
        assertThat(new PdfPainter().shows(second.labelled(), new PdfContainer(),
                List.of(app.settings().explicit().chinese(), app.settings().explicit().english()))).isTrue();
    }

    private Pipeline.Result label(Asset asset) throws Exception {
        return app.pipeline().label(new Pipeline.Request(asset, Set.of(), "m", Optional.empty()));
    }

    /** How many of our marked-content tags the page's content streams hold. */
    private static int tags(byte[] pdf) throws Exception {
        int n = 0;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            var streams = doc.getPage(0).getContentStreams();
            while (streams.hasNext()) {
                try (var in = streams.next().createInputStream()) {
                    n += new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("/YuanjianLabel", -1).length - 1;
                }
            }
        }
        return n;
    }

    /** One page, Helvetica as /F1, {@code content} as its content stream. */
    private static byte[] pdf(float width, float height, String content) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(width, height));
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            page.setResources(resources);
            PDStream stream = new PDStream(doc);
            try (OutputStream out = stream.createOutputStream()) {
                out.write(content.getBytes(StandardCharsets.ISO_8859_1));
            }
            page.setContents(stream);
            doc.addPage(page);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
