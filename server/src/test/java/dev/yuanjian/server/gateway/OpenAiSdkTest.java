package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.testing.OpenAiLoopback;
import dev.yuanjian.verify.Verdict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK against the gateway, over loopback upstreams: drop-in compatibility. */
class OpenAiSdkTest {
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

    private static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello.").build();
    }

    static String field(JsonValue object, String name) {
        com.fasterxml.jackson.databind.JsonNode node = com.openai.core.ObjectMappers.jsonMapper().valueToTree(object);
        assertThat(node.has(name)).as(node + " has " + name).isTrue();
        return node.get(name).asText();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void chatAnswersComeBackLabelledAndLogged() throws Exception {
        HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(ask("chat"));
        ChatCompletion completion = raw.parse();

        String text = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(text).isEqualTo("Hello from the loopback model. It answers every question the same way.");
        JsonValue aigc = completion._additionalProperties().get("aigc");
        String contentId = field(aigc, "contentId");
        assertThat(field(aigc, "ProduceID")).isEqualTo(contentId);
        assertThat(field(aigc, "Label")).isEqualTo("1");
        assertThat(field(aigc, "ReservedCode1")).startsWith("YJ2.");
        assertThat(raw.headers().values("X-AIGC-Label")).singleElement().asString().contains(contentId);
        assertThat(f.upstream.bodies().getFirst().path("model").asText()).isEqualTo("upstream-chat");

        var report = f.app.verifier().verify(Asset.of("answer.txt", text.getBytes(StandardCharsets.UTF_8)));
        assertThat(report.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(((Verdict.Unlabelled) report.verdict()).knownToLog())
                .extracting(e -> e.record().contentId()).containsExactly(contentId);
        var entry = f.app.log().findByContentId(contentId).orElseThrow();
        assertThat(entry.record().sha256()).isEqualTo(sha256(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(entry.record().model()).isEqualTo("chat");
        assertThat(entry.record().promptDigest()).hasSize(64);
    }

    @Test
    void streamingRelaysEveryChunkAndTheFinishingOneCarriesTheContentId() throws Exception {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ask("chat"))) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));

        assertThat(text.toString()).isEqualTo(String.join("", f.upstream.pieces()));
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices().getFirst().finishReason()).isPresent();
        String contentId = field(last._additionalProperties().get("aigc"), "contentId");
        var entry = f.app.log().findByContentId(contentId).orElseThrow();
        assertThat(entry.record().sha256()).isEqualTo(sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(chunks).hasSize(f.upstream.pieces().size() + 2); // role, pieces, finish carrying aigc
    }

    @Test
    void explicitLabelRequestedPerRequestIsInTheTextAndItsHashIsLogged() throws Exception {
        ChatCompletionCreateParams params = ask("chat").toBuilder()
                .putAdditionalHeader("X-AIGC-Explicit-Label", "true")
                .putAdditionalBodyProperty("top_k", JsonValue.from(40)).build();

        ChatCompletion completion = sdk.chat().completions().create(params);
        String text = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(text).startsWith("AI-generated content").contains("Hello from the loopback model.");
        String contentId = field(completion._additionalProperties().get("aigc"), "contentId");
        assertThat(f.app.log().findByContentId(contentId).orElseThrow().record().sha256())
                .isEqualTo(sha256(text.getBytes(StandardCharsets.UTF_8)));

        StringBuilder streamed = new StringBuilder();
        String streamedId;
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
                params.toBuilder().additionalBodyProperties(Map.of("aigc", JsonValue.from(Map.of("explicit_label", true)))).build())) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append)));
            streamedId = field(chunks.getLast()._additionalProperties().get("aigc"), "contentId");
        }
        assertThat(streamed.toString()).startsWith("AI-generated content\n\nHello");
        assertThat(f.app.log().findByContentId(streamedId).orElseThrow().record().sha256())
                .isEqualTo(sha256(streamed.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(f.upstream.bodies().getLast().has("aigc")).as("our option is not forwarded").isFalse();
        assertThat(f.upstream.bodies().getFirst().path("top_k").asInt()).as("unknown fields pass through").isEqualTo(40);
    }

    @Test
    void imagesFromOpenAiAndSdWebUiComeBackMarkedAndVerifyIntact() throws Exception {
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(f.upstream.png()));
        for (String model : List.of("chat", "sd")) {
            ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model(model).prompt("a red dot")
                    .n(2).responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());
            var data = response.data().orElseThrow();
            assertThat(data).hasSize(2);
            for (var image : data) {
                byte[] bytes = Base64.getDecoder().decode(image.b64Json().orElseThrow());
                assertThat(bytes).isNotEqualTo(f.upstream.png());
                String contentId = field(image._additionalProperties().get("aigc"), "contentId");
                // The file itself carries the label: the XMP TC260:AIGC property names the same content.
                String labelJson = new PngContainer().metadata(Asset.of("x.png", bytes), ImplicitLabelMark.AIGC).orElseThrow();
                AigcLabel label = AigcLabel.parse(labelJson, "x.png");
                assertThat(label.produceId()).isEqualTo(contentId);
                assertThat(label.reservedCode1()).startsWith("YJ2.");
                assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                        .contains("digitalsourcetype/trainedAlgorithmicMedia");
                // Only metadata was added (no visible label by default): the pixels are the upstream's.
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
                assertThat(decoded.getRGB(0, 0, decoded.getWidth(), decoded.getHeight(), null, 0, decoded.getWidth()))
                        .isEqualTo(original.getRGB(0, 0, original.getWidth(), original.getHeight(), null, 0,
                                original.getWidth()));
                var record = f.app.log().findByContentId(contentId).orElseThrow().record();
                assertThat(record.mediaType()).isEqualTo("image/png");
                assertThat(f.app.verifier().verify(Asset.of("x.png", bytes)).verdict()).isInstanceOf(Verdict.Intact.class);
                // One changed pixel no longer verifies intact.
                decoded.setRGB(0, 0, decoded.getRGB(0, 0) ^ 0x000001);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                ImageIO.write(decoded, "png", out);
                byte[] repainted = new PngContainer().withMetadata(Asset.of("x.png", out.toByteArray()),
                        ImplicitLabelMark.AIGC, labelJson).bytes();
                assertThat(f.app.verifier().verify(Asset.of("x.png", repainted)).verdict())
                        .isNotInstanceOf(Verdict.Intact.class);
            }
        }
    }

    @Test
    void theModelListNamesThePublicModels() {
        assertThat(sdk.models().list().data()).extracting(m -> m.id()).containsExactly("chat", "solo", "sd");
    }

    @Test
    void errorsArriveAsTheSdksOwnExceptions() {
        assertThatThrownBy(() -> sdk.chat().completions().create(ask("no-such-model")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");

        f.upstream.fault(new OpenAiLoopback.Fault.Status(400, null));
        assertThatThrownBy(() -> sdk.chat().completions().create(ask("solo")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("injected 400");

        f.upstream.fault(new OpenAiLoopback.Fault.Status(500, null), new OpenAiLoopback.Fault.Status(500, null));
        assertThatThrownBy(() -> sdk.chat().completions().create(ask("solo")))
                .isInstanceOf(OpenAIServiceException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).statusCode()).isEqualTo(502));

        f.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(2));
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ask("solo"))) {
                stream.stream().forEach(c -> { });
            }
        }).isInstanceOf(com.openai.errors.SseException.class).hasMessageContaining("stream broke").hasMessageContaining("partial output was logged");

        assertThat(sdk.chat().completions().create(ask("solo")).choices()).hasSize(1); // still serving
    }
}
