package dev.yuanjian.bench.label;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * {@code documents [iterations]}: the documents of issue 9, each built here (seeded, the same bytes
 * every run), labelled and verified through the product as {@code yuanjian label} and
 * {@code yuanjian verify} do minus the process start: read the file, label (visible and implicit
 * label, durable log append on H2, seal), write the output; read it back and verify. Baseline in
 * the same run, interleaved with the measurement: {@code Files.copy} of the same input file.
 *
 * <p>A document the product refuses is a row result ("refused: why"), not a failure of the
 * command; its verify column then times verifying the input. Exit status 0 whatever the results.
 */
public final class DocumentsBench {
    private static final String LINE = "Provenance labels for generated content, line ";

    private DocumentsBench() {
    }

    /** One document of the run: a name (its extension picks the container) and its bytes. */
    private record Case(String label, String fileName, Supplier<byte[]> bytes) {
    }

    public static int run(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warmup = Math.max(5, iterations / 4);
        Path dir = Files.createTempDirectory("yuanjian-bench-documents");
        List<Case> cases = cases();
        try (Yuanjian app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of())) {
            System.out.printf(Locale.ROOT, "documents: label + verify through the product (H2 in %s) beside Files.copy; "
                    + "%d iterations after %d warm-up, interleaved; java %s; %d cores%n", dir, iterations, warmup,
                    Runtime.version(), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "| %-34s | %9s | %9s | %10s | %10s | %s |%n", "document", "bytes",
                    "copy ms", "label ms", "verify ms", "result");
            System.out.println("| --- | ---: | ---: | ---: | ---: | --- |");
            for (Case c : cases) {
                row(app, dir, c, iterations, warmup);
            }
        }
        return 0;
    }

    private static void row(Yuanjian app, Path dir, Case c, int iterations, int warmup) throws Exception {
        Path in = Files.write(dir.resolve(c.fileName()), c.bytes().get());
        Path copy = dir.resolve("copy-" + c.fileName());
        Path out = dir.resolve("labelled-" + c.fileName());
        String refused = null;
        try {
            label(app, in, out);
        } catch (Exception e) {
            refused = e.getClass().getSimpleName() + ": " + firstSentence(e.getMessage());
        }
        Path verified = refused == null ? out : in;
        String verdict = verify(app, verified);
        double[] copyMs = new double[iterations];
        double[] labelMs = new double[iterations];
        double[] verifyMs = new double[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long t0 = System.nanoTime();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            long t1 = System.nanoTime();
            if (refused == null) {
                label(app, in, out);
            }
            long t2 = System.nanoTime();
            verify(app, verified);
            long t3 = System.nanoTime();
            if (i >= 0) {
                copyMs[i] = (t1 - t0) / 1e6;
                labelMs[i] = (t2 - t1) / 1e6;
                verifyMs[i] = (t3 - t2) / 1e6;
            }
        }
        String result = refused == null ? "labelled; verify: " + verdict
                : "label refused (" + refused + "); verify of the input: " + verdict;
        System.out.printf(Locale.ROOT, "| %-34s | %,9d | %9.2f | %10s | %10.2f | %s |%n", c.label(), Files.size(in),
                median(copyMs), refused == null ? String.format(Locale.ROOT, "%.2f", median(labelMs)) : "—",
                median(verifyMs), result);
    }

    private static void label(Yuanjian app, Path in, Path out) throws Exception {
        byte[] bytes = Files.readAllBytes(in);
        Pipeline.Result result = app.pipeline().label(new Pipeline.Request(Asset.of(in.getFileName().toString(), bytes),
                Set.of(), "bench-model", Optional.of("bench prompt")));
        Files.write(out, result.labelled().bytes());
    }

    /** The verdict's kind, or why verify refused the file. */
    private static String verify(Yuanjian app, Path file) {
        try {
            Verdict v = app.verifier().verify(Asset.of(file.getFileName().toString().replace("labelled-", ""),
                    Files.readAllBytes(file))).verdict();
            return v.kind();
        } catch (Exception e) {
            return "refused (" + e.getClass().getSimpleName() + ": " + firstSentence(e.getMessage()) + ")";
        }
    }

    private static String firstSentence(String message) {
        String m = message == null ? "" : message.replace('|', '/').replace('\n', ' ');
        int semi = m.indexOf(';');
        m = semi > 0 ? m.substring(0, semi) : m;
        return m.length() > 110 ? m.substring(0, 110) + "…" : m;
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static List<Case> cases() {
        List<String> paragraphs = new ArrayList<>();
        Random random = new Random(9);
        for (int p = 0; p < 120; p++) {
            paragraphs.add("第" + p + "段：" + "人工智能生成合成内容标识办法".repeat(3) + " provenance " + random.nextInt(1000));
        }
        String props = ContainerFixtures.customProperty(2, "Client", "ACME &amp; Co")
                + ContainerFixtures.customProperty(3, "Project", "源鉴");
        return List.of(
                new Case("PDF A4, 10 pages", "a4.pdf", () -> pdf(PDRectangle.A4, 10, 45, 72, false)),
                new Case("PDF 200 x 50 pt page", "small.pdf", () -> pdf(new PDRectangle(200, 50), 1, 3, 4, false)),
                new Case("PDF crowded A4 page", "crowded.pdf", () -> pdf(PDRectangle.A4, 1, 92, 8, false)),
                new Case("PDF encrypted, empty user password", "encrypted.pdf", () -> pdf(PDRectangle.A4, 10, 45, 72, true)),
                new Case("PDF startxref into an object", "damaged.pdf", () -> damagedXref(pdf(PDRectangle.A4, 10, 45, 72, false))),
                new Case("PDF without startxref", "no-startxref.pdf", () -> noStartxref(pdf(PDRectangle.A4, 10, 45, 72, false))),
                new Case("Markdown, YAML front matter", "yaml.md", () -> markdown("---\ntitle: 报告\ntags: [a, b]\n---\n")),
                new Case("Markdown, TOML front matter", "toml.md", () -> markdown("+++\ntitle = \"报告\"\n[params]\nx = 1\n+++\n")),
                new Case("Markdown, leading --- not YAML", "rule.md", () -> markdown("---\nFoo\n---\n")),
                new Case("DOCX, 120 paragraphs", "normal.docx", () -> ContainerFixtures.docx(paragraphs, null)),
                new Case("DOCX Strict, 120 paragraphs", "strict.docx", () -> ContainerFixtures.strictDocx(paragraphs, null)),
                new Case("DOCM with custom properties", "macros.docm",
                        () -> ContainerFixtures.docm(paragraphs, ContainerFixtures.customXml(props))));
    }

    /** About 75 KB of Markdown prose, mostly Chinese, under {@code head}. */
    private static byte[] markdown(String head) {
        Random random = new Random(3);
        StringBuilder md = new StringBuilder(head).append("\n# 报告\n\n");
        String[] words = {"人工智能", "内容标识", "生成合成", "元数据", "provenance", "label", "digest"};
        while (md.length() < 40_000) {
            for (int w = 0; w < 80; w++) {
                md.append(words[random.nextInt(words.length)]).append(w % 10 == 9 ? "。" : "");
            }
            md.append("\n\n");
        }
        return md.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Pages of {@code size} filled with {@code lines} lines of 11 pt Helvetica from {@code margin}
     * pt off the edges; encrypted (AES-128, empty user password, every permission) on request.
     */
    private static byte[] pdf(PDRectangle size, int pages, int lines, float margin, boolean encrypt) {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            float leading = Math.min(14, (size.getHeight() - 2 * margin) / lines);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(size);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, Math.min(11, leading));
                    cs.setLeading(leading);
                    cs.newLineAtOffset(margin, size.getHeight() - margin - leading);
                    for (int l = 0; l < lines; l++) {
                        String text = LINE + (p * lines + l) + ", and more words to fill the width of the page.";
                        cs.showText(text.substring(0, Math.min(text.length(), (int) ((size.getWidth() - margin) / 5))));
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            if (encrypt) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "", new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file cut before its last {@code startxref}: no cross-reference offset and no {@code %%EOF}. */
    private static byte[] noStartxref(byte[] pdf) {
        String s = new String(pdf, StandardCharsets.ISO_8859_1);
        return s.substring(0, s.lastIndexOf("startxref")).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The file with its {@code startxref} offset pointing into the middle of an object. */
    private static byte[] damagedXref(byte[] pdf) {
        String s = new String(pdf, StandardCharsets.ISO_8859_1);
        int numberStart = s.lastIndexOf("startxref") + "startxref".length();
        while (!Character.isDigit(s.charAt(numberStart))) {
            numberStart++;
        }
        int numberEnd = numberStart;
        while (Character.isDigit(s.charAt(numberEnd))) {
            numberEnd++;
        }
        String wrong = String.valueOf(s.indexOf("/MediaBox")); // inside a page dictionary
        return (s.substring(0, numberStart) + wrong + s.substring(numberEnd)).getBytes(StandardCharsets.ISO_8859_1);
    }
}
