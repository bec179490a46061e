package dev.yuanjian.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.Asset;
import dev.yuanjian.label.LabelFormatException;
import dev.yuanjian.pipeline.Labeller;
import dev.yuanjian.store.Home;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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

    private Labeller.Result label(String name, String text) throws LabelFormatException {
        return app.labeller().label(new Labeller.Request(Asset.of(name, text.getBytes(StandardCharsets.UTF_8)),
                Optional.of(app.settings().explicit()), "test-model", Optional.of("write a poem")));
    }

    private static Asset withText(Asset asset, String from, String to) {
        String text = new String(asset.bytes(), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return asset.withBytes(text.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void labelledMarkdownIsIntactAndInTheLog() throws Exception {
        Labeller.Result result = label("poem.md", "# 春晓\n\n春眠不觉晓，处处闻啼鸟。\n");

        Report report = app.verifier().verify(result.labelled());

        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        Verdict.Intact intact = (Verdict.Intact) report.verdict();
        assertThat(intact.entry().index()).isEqualTo(result.logIndex());
        assertThat(intact.entry().record().contentId()).isEqualTo(result.contentId());
        assertThat(intact.entry().record().model()).isEqualTo("test-model");
        assertThat(intact.entry().record().promptDigest()).hasSize(64).doesNotContain("poem");
        assertThat(intact.proof().treeSize()).isEqualTo(intact.checkpoint().size());
        assertThat(report.explicitLabel()).isTrue();
        assertThat(report.label()).map(AigcLabel::produceId).contains(result.contentId());
        assertThat(report.notes()).anyMatch(n -> n.en().contains("placeholder") && n.zh().contains("占位"));
        assertThat(new String(result.labelled().bytes(), StandardCharsets.UTF_8)).contains("本内容由人工智能生成");
    }

    @Test
    void changedContentIsAltered() throws Exception {
        Labeller.Result result = label("poem.md", "# Spring\n\nThe spring morning came without a sound.\n");

        Report report = app.verifier().verify(withText(result.labelled(), "spring morning", "autumn evening"));

        assertThat(report.verdict()).isInstanceOf(Verdict.Altered.class);
        assertThat(((Verdict.Altered) report.verdict()).entry().index()).isEqualTo(result.logIndex());
    }

    @Test
    void changedLabelFieldIsAlteredBecauseTheSealCoversIt() throws Exception {
        Labeller.Result result = label("poem.md", "Some generated words.\n");

        Report report = app.verifier().verify(withText(result.labelled(), "\"Label\":\"1\"", "\"Label\":\"3\""));

        assertThat(report.verdict()).isInstanceOf(Verdict.Altered.class);
    }

    @Test
    void editedSealIsForged() throws Exception {
        Labeller.Result result = label("poem.md", "Some generated words.\n");
        String seal = result.label().reservedCode1();
        char last = seal.charAt(seal.length() - 2);
        String edited = seal.substring(0, seal.length() - 2) + (last == 'A' ? 'B' : 'A') + seal.charAt(seal.length() - 1);

        Report report = app.verifier().verify(withText(result.labelled(), seal, edited));

        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
    }

    @Test
    void labelFromAnotherInstallationIsForged() throws Exception {
        Labeller.Result foreign;
        try (Yuanjian other = Yuanjian.open(new Home(dir.resolve("other")), Settings.defaults(), Map.of())) {
            foreign = other.labeller().label(new Labeller.Request(Asset.of("a.md", "words\n".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty(), "m", Optional.empty()));
        }

        Report report = app.verifier().verify(foreign.labelled());

        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
        assertThat(((Verdict.Forged) report.verdict()).reason().en()).contains("key");
    }

    @Test
    void unknownProducerIsForged() throws Exception {
        Labeller.Result result = label("poem.md", "Some generated words.\n");

        Report report = app.verifier().verify(withText(result.labelled(), Settings.PLACEHOLDER_PRODUCER,
                "001191440300708461136T1XGW3"));

        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
        assertThat(((Verdict.Forged) report.verdict()).reason().zh()).contains("001191440300708461136T1XGW3");
    }

    @Test
    void plainTextWithoutItsSidecarIsUnlabelledButKnownToTheLog() throws Exception {
        Labeller.Result result = label("story.txt", "Once upon a time there was a model.\n");
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
        assertThat(report.label()).isEmpty();
    }

    @Test
    void relabellingReplacesTheLabelAndStaysIntact() throws Exception {
        Labeller.Result first = label("poem.md", "A poem.\n");
        Labeller.Result second = app.labeller().label(new Labeller.Request(first.labelled(),
                Optional.of(app.settings().explicit()), "m2", Optional.empty()));

        String text = new String(second.labelled().bytes(), StandardCharsets.UTF_8);
        assertThat(text.split("ProduceID", -1)).hasSize(2);
        assertThat(text.split("AI-generated content", -1)).hasSize(2);
        assertThat(app.verifier().verify(second.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);
    }

    @Test
    void unknownFormatIsRefusedBeforeAnythingIsLogged() {
        long before = app.log().size();

        assertThatThrownBy(() -> label("image.bmp", "BM not really"))
                .isInstanceOf(LabelFormatException.class);
        assertThat(app.log().size()).isEqualTo(before);
    }
}
