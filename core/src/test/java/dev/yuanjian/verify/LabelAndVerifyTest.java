package dev.yuanjian.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole label-then-verify flow over a real H2 log, through every verdict. */
class LabelAndVerifyTest {
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

    private Pipeline.Result label(String name, String text) throws FormatException {
        return app.pipeline().label(new Pipeline.Request(Asset.of(name, text.getBytes(StandardCharsets.UTF_8)),
                Set.of(), "test-model", Optional.of("write a poem")));
    }

    private static Asset withText(Asset asset, String from, String to) {
        String text = new String(asset.bytes(), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return asset.withBytes(text.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void labelledMarkdownIsIntactAndInTheLog() throws Exception {
        Pipeline.Result result = label("poem.md", "# 春晓\n\n春眠不觉晓，处处闻啼鸟。\n");

        Report report = app.verifier().verify(result.labelled());

        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        Verdict.Intact intact = (Verdict.Intact) report.verdict();
        assertThat(intact.entry().index()).isEqualTo(result.logIndex());
        assertThat(intact.entry().record().contentId()).isEqualTo(result.contentId());
        assertThat(intact.entry().record().model()).isEqualTo("test-model");
        assertThat(intact.entry().record().promptDigest()).hasSize(64).doesNotContain("poem");
        assertThat(intact.proof().treeSize()).isEqualTo(intact.checkpoint().size());
        assertThat(report.finding(ExplicitLabelMark.NAME).orElseThrow().present()).isTrue();
        assertThat(((ImplicitLabelMark.LabelFinding) report.finding(ImplicitLabelMark.NAME).orElseThrow()).label())
                .map(l -> l.produceId()).contains(result.contentId());
        assertThat(report.notes()).anyMatch(n -> n.en().contains("placeholder") && n.zh().contains("占位"));
        assertThat(new String(result.labelled().bytes(), StandardCharsets.UTF_8)).contains("本内容由人工智能生成");
    }

    @Test
    void frontMatterWithNoLineBreakAfterItsClosingFenceStaysFrontMatter() throws Exception {
        // Reported: the label glued onto the fence ("---本内容…"), the block became body text and a
        // second front matter was added above it. The whole kind: YAML and TOML fences, LF and CRLF.
        for (String input : java.util.List.of("---\ntitle: x\n---", "---\r\ntitle: x\r\n---", "+++\ntitle = \"x\"\n+++",
                "---\ntitle: x\n---   ")) {
            Pipeline.Result result = label("fm.md", input);
            String out = new String(result.labelled().bytes(), StandardCharsets.UTF_8);
            String fence = input.substring(0, 3);
            assertThat(out).as(out).startsWith(fence).doesNotContain(fence + "本内容").doesNotContain(fence + "AI-generated");
            assertThat(out.indexOf(fence, 3)).as("one closing fence, then the body: " + out).isGreaterThan(0);
            assertThat(java.util.regex.Pattern.compile("(?m)^AIGC\\s*[:=]").matcher(out).results().count())
                    .as("one AIGC key: " + out).isEqualTo(1);
            assertThat(out.substring(0, out.indexOf(fence, 3))).as("the title stays in the front matter").contains("title");
            assertThat(app.verifier().verify(result.labelled()).verdict()).as(out).isInstanceOf(Verdict.Intact.class);
        }
    }

    @Test
    void changedContentIsAltered() throws Exception {
        Pipeline.Result result = label("poem.md", "# Spring\n\nThe spring morning came without a sound.\n");

        Report report = app.verifier().verify(withText(result.labelled(), "spring morning", "autumn evening"));

        assertThat(report.verdict()).isInstanceOf(Verdict.Altered.class);
        assertThat(((Verdict.Altered) report.verdict()).entry().index()).isEqualTo(result.logIndex());
    }

    @Test
    void changedLabelFieldIsForgedBecauseTheSealCoversIt() throws Exception {
        Pipeline.Result result = label("poem.md", "Some generated words.\n");

        Report report = app.verifier().verify(withText(result.labelled(), "\"Label\":\"1\"", "\"Label\":\"3\""));

        // The seal signs the Label field itself: an edited label is not this service's label any more.
        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
    }

    @Test
    void editedSealIsForged() throws Exception {
        Pipeline.Result result = label("poem.md", "Some generated words.\n");
        String seal = result.label().reservedCode1();
        char last = seal.charAt(seal.length() - 2);
        String edited = seal.substring(0, seal.length() - 2) + (last == 'A' ? 'B' : 'A') + seal.charAt(seal.length() - 1);

        Report report = app.verifier().verify(withText(result.labelled(), seal, edited));

        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
    }

    @Test
    void labelFromAnotherInstallationIsForged() throws Exception {
        Pipeline.Result foreign;
        try (Yuanjian other = Yuanjian.open(new Home(dir.resolve("other")), Settings.defaults(), Map.of())) {
            foreign = other.pipeline().label(new Pipeline.Request(Asset.of("a.md", "words\n".getBytes(StandardCharsets.UTF_8)),
                    Set.of(ExplicitLabelMark.NAME), "m", Optional.empty()));
        }

        Report report = app.verifier().verify(foreign.labelled());

        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
        assertThat(((Verdict.Forged) report.verdict()).reason().en()).contains("key");
    }

    @Test
    void anotherProducersLabelIsLabelledElsewhereNotForged() throws Exception {
        Pipeline.Result result = label("poem.md", "Some generated words.\n");

        // Another producer's code and its own integrity data (an edited code under this service's seal is forged).
        Report report = app.verifier().verify(withText(withText(result.labelled(), Settings.PLACEHOLDER_PRODUCER,
                "001191440300708461136T1XGW3"), result.label().reservedCode1(), "their-own-signature"));

        assertThat(report.verdict()).isInstanceOf(Verdict.Labelled.class);
        Verdict.Labelled labelled = (Verdict.Labelled) report.verdict();
        assertThat(labelled.party()).isEqualTo("001191440300708461136T1XGW3");
        assertThat(labelled.level()).isEqualTo("1");
        assertThat(labelled.reason().zh()).contains("001191440300708461136T1XGW3");
    }

    @Test
    void plainTextWithoutItsSidecarIsUnlabelledButKnownToTheLog() throws Exception {
        Pipeline.Result result = label("story.txt", "Once upon a time there was a model.\n");
        assertThat(result.labelled().sidecar()).isPresent();
        assertThat(app.verifier().verify(result.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);

        Report bare = app.verifier().verify(Asset.of("story.txt", result.labelled().bytes()));

        assertThat(bare.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(((Verdict.Unlabelled) bare.verdict()).knownToLog())
                .extracting(e -> e.record().contentId()).containsExactly(result.contentId());
    }

    @Test
    void neverLabelledFileIsUnlabelledAndUnknown() throws Exception {
        Report report = app.verifier().verify(Asset.of("notes.md", "# Notes\n\nwritten by a person\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(report.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(((Verdict.Unlabelled) report.verdict()).knownToLog()).isEmpty();
        assertThat(report.finding(ImplicitLabelMark.NAME).orElseThrow().present()).isFalse();
    }

    @Test
    void relabellingReplacesTheLabelAndStaysIntact() throws Exception {
        Pipeline.Result first = label("poem.md", "A poem.\n");
        Pipeline.Result second = app.pipeline().label(new Pipeline.Request(first.labelled(), Set.of(), "m2",
                Optional.empty()));

        String text = new String(second.labelled().bytes(), StandardCharsets.UTF_8);
        assertThat(text.split("ProduceID", -1)).hasSize(2);
        assertThat(text.split("AI-generated content", -1)).hasSize(2);
        assertThat(app.verifier().verify(second.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);
    }

    @Test
    void unknownFormatIsRefusedBeforeAnythingIsLogged() {
        long before = app.log().size();

        assertThatThrownBy(() -> label("image.bmp", "BM not really"))
                .isInstanceOf(FormatException.class);
        assertThat(app.log().size()).isEqualTo(before);
    }
}
