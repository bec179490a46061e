package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-request marking options of image generations ({@code "aigc": {"explicit_label": ..., "c2pa": ...}}
 * and the {@code X-AIGC-Explicit-Label} header), sent by the official openai-java client as extra body
 * properties: the visible label and C2PA follow the request, the GB 45438 metadata label and the log
 * entry are always there, and the options never reach the upstream.
 */
class ImageMarkOptionsTest {
    @TempDir
    Path dir;
    GatewayFixture f;
    OpenAIClient sdk;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, UnaryOperator.identity());
        sdk = OpenAIOkHttpClient.builder().baseUrl(f.base() + "/v1").apiKey("unused-on-localhost").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        f.close();
    }

    private static ImageGenerateParams.Builder ask(String model) {
        return ImageGenerateParams.builder().model(model).prompt("a red dot")
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON);
    }

    private static ImageGenerateParams.Builder with(ImageGenerateParams.Builder params, Map<String, Object> options) {
        return params.putAdditionalBodyProperty("aigc", JsonValue.from(options));
    }

    /** One returned image: its bytes, the {@code marks} the gateway reports, and what verify says of it. */
    private record Marked(byte[] bytes, List<String> marks, Report report) {
        boolean pixelsEqual(byte[] other) throws Exception {
            BufferedImage a = ImageIO.read(new ByteArrayInputStream(bytes));
            BufferedImage b = ImageIO.read(new ByteArrayInputStream(other));
            return java.util.Arrays.equals(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                    b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
        }
    }

    private Marked generate(ImageGenerateParams params) throws Exception {
        Image image = sdk.images().generate(params).data().orElseThrow().getFirst();
        byte[] bytes = Base64.getDecoder().decode(image.b64Json().orElseThrow());
        JsonNode aigc = com.openai.core.ObjectMappers.jsonMapper().valueToTree(image._additionalProperties().get("aigc"));
        List<String> marks = new ArrayList<>();
        aigc.path("marks").forEach(m -> marks.add(m.asText()));
        // The metadata label is never optional: every image carries it, naming its log entry.
        String label = new PngContainer().metadata(Asset.of("x.png", bytes), ImplicitLabelMark.AIGC).orElseThrow();
        assertThat(AigcLabel.parse(label, "x.png").produceId()).isEqualTo(aigc.path("contentId").asText());
        assertThat(f.app.log().findByContentId(aigc.path("contentId").asText())).isPresent();
        Report report = f.app.verifier().verify(Asset.of("x.png", bytes));
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        return new Marked(bytes, marks, report);
    }

    @Test
    void theVisibleLabelAndC2paFollowTheRequestAndTheMetadataLabelAlwaysStays() throws Exception {
        for (String model : List.of("chat", "sd")) {
            byte[] upstream = f.upstream.png();

            Marked plain = generate(ask(model).build());
            assertThat(plain.marks()).containsExactly(ImplicitLabelMark.NAME, C2paMark.NAME);
            assertThat(plain.pixelsEqual(upstream)).as("no visible label by default (gateway.explicitLabel)").isTrue();
            assertThat(plain.report().finding(C2paMark.NAME).orElseThrow().present()).isTrue();

            Marked shown = generate(with(ask(model), Map.of("explicit_label", true)).build());
            assertThat(shown.marks()).containsExactly(ExplicitLabelMark.NAME, ImplicitLabelMark.NAME, C2paMark.NAME);
            assertThat(shown.pixelsEqual(upstream)).as("the label is drawn into the pixels").isFalse();
            assertThat(shown.report().finding(ExplicitLabelMark.NAME).orElseThrow().present()).isTrue();

            Marked bare = generate(with(ask(model), Map.of("c2pa", false, "explicit_label", false)).build());
            assertThat(bare.marks()).containsExactly(ImplicitLabelMark.NAME);
            assertThat(bare.pixelsEqual(upstream)).isTrue();
            assertThat(new String(bare.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("caBX");
            assertThat(bare.report().finding(C2paMark.NAME).map(x -> x.present()).orElse(false)).isFalse();
        }
        assertThat(f.upstream.bodies()).as("our options are never forwarded").noneMatch(b -> b.has("aigc"));
    }

    @Test
    void theHeaderAsksForTheVisibleLabelAndTheBodyWins() throws Exception {
        Marked byHeader = generate(ask("chat").putAdditionalHeader("X-AIGC-Explicit-Label", "true").build());
        assertThat(byHeader.marks()).contains(ExplicitLabelMark.NAME);

        Marked bodyWins = generate(with(ask("chat").putAdditionalHeader("X-AIGC-Explicit-Label", "true"),
                Map.of("explicit_label", false)).build());
        assertThat(bodyWins.marks()).doesNotContain(ExplicitLabelMark.NAME);
    }

    @Test
    void malformedOptionsAreRefusedNamingTheField() {
        for (Object bad : List.of("no", Map.of("explicit_label", "false"), Map.of("c2pa", 0))) {
            assertThatThrownBy(() -> sdk.images().generate(ask("chat")
                    .putAdditionalBodyProperty("aigc", JsonValue.from(bad)).build()))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("'aigc' must be an object like {\"explicit_label\": false, \"c2pa\": false, \"watermark\": false}");
        }
        assertThat(f.upstream.bodies()).as("nothing was generated").isEmpty();
    }
}
