package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.WebpFixtures;
import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a seal covers, the same in every carrier: an edit to any producer field never verifies
 * intact, and this service adding itself as propagator never breaks the producer's seal.
 * Carriers: the label embedded in Markdown, DOCX, PDF, PNG and JPEG; a plain text's sidecar; and
 * the gateway's {@code aigc} object used as a sidecar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealCoverageTest {
    Yuanjian app;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterAll
    void close() {
        app.close();
    }

    Stream<Arguments> carriers() {
        return Stream.of(
                Arguments.of("markdown", Asset.of("a.md", "# 标题\n\n生成的文字。\n".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("docx", Asset.of("a.docx", ContainerFixtures.docx(List.of("Generated words."), null))),
                Arguments.of("pdf", Asset.of("a.pdf", ContainerFixtures.pdf(List.of("Generated words."), false))),
                Arguments.of("png", Asset.of("a.png", ImageFixtures.png(64, 48))),
                Arguments.of("jpeg", Asset.of("a.jpg", ImageFixtures.jpeg(64, 48))),
                Arguments.of("webp", Asset.of("a.webp", WebpFixtures.lossless(64, 48))),
                Arguments.of("text sidecar", Asset.of("a.txt", "Generated words.\n".getBytes(StandardCharsets.UTF_8))));
    }

    Stream<Arguments> carriersAndFields() {
        return carriers().flatMap(c -> Stream.of("Label", "ContentProducer", "ProduceID")
                .map(field -> Arguments.of(c.get()[0], c.get()[1], field)));
    }

    private Pipeline.Result label(Asset asset) throws Exception {
        return app.pipeline().label(new Pipeline.Request(asset, Set.of(), "m", Optional.empty()));
    }

    private Container container(Asset asset) throws Exception {
        return app.pipeline().containers().detect(asset.name(), asset.bytes());
    }

    /** The asset with its label rewritten by {@code edit}, everything else as it was. */
    private Asset relabel(Asset asset, UnaryOperator<AigcLabel> edit) throws Exception {
        Container c = container(asset);
        AigcLabel label = AigcLabel.parse(c.metadata(asset, ImplicitLabelMark.AIGC).orElseThrow(), asset.name());
        return c.withMetadata(asset, ImplicitLabelMark.AIGC, edit.apply(label).toWrappedJson());
    }

    private static AigcLabel edited(AigcLabel l, String field) {
        return switch (field) {
            case "Label" -> new AigcLabel("3", l.contentProducer(), l.produceId(), l.reservedCode1(), l.contentPropagator(),
                    l.propagateId(), l.reservedCode2());
            case "ContentProducer" -> new AigcLabel(l.label(), Settings.PLACEHOLDER_PRODUCER.replace('U', 'V'), l.produceId(),
                    l.reservedCode1(), l.contentPropagator(), l.propagateId(), l.reservedCode2());
            case "ProduceID" -> new AigcLabel(l.label(), l.contentProducer(), "01ARZ3NDEKTSV4RRFFQ69G5FAV",
                    l.reservedCode1(), l.contentPropagator(), l.propagateId(), l.reservedCode2());
            default -> throw new IllegalArgumentException(field);
        };
    }

    @ParameterizedTest(name = "{0}: edited {2}")
    @MethodSource("carriersAndFields")
    void anEditedProducerFieldNeverVerifiesIntact(String carrier, Asset original, String field) throws Exception {
        Pipeline.Result result = label(original);
        assertThat(app.verifier().verify(result.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);

        Report report = app.verifier().verify(relabel(result.labelled(), l -> edited(l, field)));

        // Still this service's seal, so not someone else's label: forged, whichever field was edited
        // (a ContentProducer changed to another code keeps a seal made with this service's key).
        assertThat(report.verdict()).isInstanceOf(Verdict.Forged.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carriers")
    void propagatingKeepsTheProducersSealAndSealsThePropagatorsFields(String carrier, Asset original) throws Exception {
        Pipeline.Result produced = label(original);

        Pipeline.Result propagated = app.pipeline().propagate(produced.labelled(), Optional.empty());

        assertThat(propagated.label().produceId()).isEqualTo(produced.contentId());
        assertThat(propagated.label().reservedCode1()).isEqualTo(produced.label().reservedCode1());
        assertThat(propagated.label().propagateId()).isEqualTo(propagated.contentId());
        Report report = app.verifier().verify(propagated.labelled());
        Verdict.Intact intact = (Verdict.Intact) report.verdict();
        assertThat(intact.role()).isEqualTo(Claim.Role.PRODUCER);
        assertThat(intact.entry().index()).isEqualTo(produced.logIndex());
        var finding = (ImplicitLabelMark.LabelFinding) report.finding(ImplicitLabelMark.NAME).orElseThrow();
        assertThat(finding.claims()).containsExactly(new Claim.Issued(produced.logIndex(), Claim.Role.PRODUCER, true),
                new Claim.Issued(propagated.logIndex(), Claim.Role.PROPAGATOR, true));
        assertThat(app.log().entry(propagated.logIndex()).orElseThrow().record().model())
                .isEqualTo("propagation:" + produced.contentId());

        // An edit to the propagator's fields breaks only the propagator's seal.
        Report edited = app.verifier().verify(relabel(propagated.labelled(),
                l -> l.withPropagator(l.contentPropagator(), "01ARZ3NDEKTSV4RRFFQ69G5FAV", l.reservedCode2())));
        assertThat(edited.verdict()).isInstanceOf(Verdict.Forged.class);
        Report otherPlatform = app.verifier().verify(relabel(propagated.labelled(),
                l -> l.withPropagator("001191110000802100433B20000", l.propagateId(), l.reservedCode2())));
        assertThat(otherPlatform.verdict()).isInstanceOf(Verdict.Forged.class);
        assertThat(((Verdict.Forged) otherPlatform.verdict()).reason().en()).contains("is this service's");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carriers")
    void anotherPlatformsPropagatorFieldsDoNotBreakTheProducersSeal(String carrier, Asset original) throws Exception {
        Pipeline.Result produced = label(original);

        Asset byPlatform = relabel(produced.labelled(),
                l -> l.withPropagator("001191110000802100433B20000", "platform-item-77", "{\"Type\":\"SM2\"}"));

        Report report = app.verifier().verify(byPlatform);
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(((Verdict.Intact) report.verdict()).role()).isEqualTo(Claim.Role.PRODUCER);
    }

    @org.junit.jupiter.api.Test
    void theGatewaysAigcObjectUsedAsASidecarIsBoundToo() throws Exception {
        Pipeline.Result result = app.pipeline().record("completion.txt", "一段回答。".getBytes(StandardCharsets.UTF_8),
                "text/plain", "m", Optional.empty());
        var aigc = dev.yuanjian.app.JsonViews.aigc(result);
        Asset asSidecar = new Asset("completion.txt", result.labelled().bytes(),
                Optional.of(aigc.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(app.verifier().verify(asSidecar).verdict()).isInstanceOf(Verdict.Intact.class);

        aigc.put("Label", "3");
        Asset edited = new Asset("completion.txt", result.labelled().bytes(),
                Optional.of(aigc.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(app.verifier().verify(edited).verdict()).isInstanceOf(Verdict.Forged.class);
    }

    @org.junit.jupiter.api.Test
    void aRespeltLabelOfThisServiceInASidecarIsForged() throws Exception {
        Pipeline.Result result = label(Asset.of("q.txt", "Generated words.\n".getBytes(StandardCharsets.UTF_8)));
        String sidecar = new String(result.labelled().sidecar().orElseThrow(), StandardCharsets.UTF_8);
        for (String respelt : List.of(sidecar.replace("\"Label\":\"1\"", "\"label\":\"1\""),
                sidecar.replace("\"Label\":\"1\"", "\"Label\":1"),
                sidecar.replace("\"ReservedCode1\"", "\"ReserveCode1\""))) {
            Asset edited = new Asset("q.txt", result.labelled().bytes(), Optional.of(respelt.getBytes(StandardCharsets.UTF_8)));
            assertThat(app.verifier().verify(edited).verdict()).as(respelt).isInstanceOf(Verdict.Forged.class);
        }
    }

    @org.junit.jupiter.api.Test
    void propagationRefusesForgedAlteredAndOtherPlatformsLabels() throws Exception {
        Pipeline.Result produced = label(Asset.of("p.md", "# 标题\n\n正文。\n".getBytes(StandardCharsets.UTF_8)));
        Asset forged = relabel(produced.labelled(), l -> l.withReservedCode1("bogus"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.pipeline().propagate(forged, Optional.empty()))
                .hasMessageContaining("does not check").hasMessageContaining("not propagated");
        String text = new String(produced.labelled().bytes(), StandardCharsets.UTF_8).replace("正文", "改文");
        Asset altered = Asset.of("p.md", text.getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.pipeline().propagate(altered, Optional.empty()))
                .hasMessageContaining("changed after this service labelled it");
        Asset byPlatform = relabel(produced.labelled(),
                l -> l.withPropagator("001191110000802100433B20000", "item-1", "their-seal"));
        long before = app.log().size();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.pipeline().propagate(byPlatform, Optional.empty()))
                .hasMessageContaining("already propagated by 001191110000802100433B20000");
        assertThat(app.log().size()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void aTruncatedLabelledPdfIsNeverSilentlyReadAsItsEarlierRevision() throws Exception {
        byte[] pdf = label(Asset.of("t.pdf", ContainerFixtures.pdf(List.of("Generated words."), false))).labelled().bytes();
        // the label revision loses its startxref: readers fall back to the original's and show no label
        Asset cut = Asset.of("t.pdf", java.util.Arrays.copyOf(pdf, pdf.length - 30));
        Report report = app.verifier().verify(cut);
        assertThat(report.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(report.notes().get(0).en()).startsWith("The PDF is damaged (it ends in an incremental update without "
                + "its startxref (cut off?): readers show the revision before it)");
    }

    @org.junit.jupiter.api.Test
    void anUnlabelledUploadIsLabelledByThePlatformAsPossiblyOrSuspected() throws Exception {
        Asset upload = Asset.of("upload.md", "# 某篇文章\n\n疑似生成的内容。\n".getBytes(StandardCharsets.UTF_8));

        Pipeline.Result propagated = app.pipeline().propagate(upload, Optional.of("3"));

        assertThat(propagated.label().label()).isEqualTo("3");
        assertThat(propagated.label().contentProducer()).isEmpty();
        Report report = app.verifier().verify(propagated.labelled());
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(((Verdict.Intact) report.verdict()).role()).isEqualTo(Claim.Role.PROPAGATOR);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.pipeline().propagate(upload, Optional.empty()))
                .hasMessageContaining("level 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.pipeline().propagate(upload, Optional.of("1")))
                .hasMessageContaining("only its producer");
    }
}
