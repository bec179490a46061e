package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.WebpContainer;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Scope;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.testing.OpenAiLoopback;
import dev.yuanjian.verify.Verdict;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints frameworks call besides chat, through the official openai-java SDK against the
 * gateway over loopback upstreams: embeddings, moderations, transcriptions (relayed, charged, never
 * logged), speech (bytes unchanged, logged, label in headers), legacy completions (labelled and
 * logged like chat), one model by id, and images from gpt-image and URL-answering models.
 */
class EndpointsSdkTest {
    @TempDir
    Path dir;
    GatewayFixture f;
    OpenAIClient sdk;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, c -> {
            URI base = c.backends().getFirst().baseUrl();
            List<Backend> more = List.of(
                    image("gpt-image", base, "gpt-image-1", null),
                    image("dall-e", base, "dall-e-3", Backend.ImageFormat.URL),
                    new Backend("moderation#0", "moderation", Backend.Kind.OPENAI, base, "", "omni-moderation-latest", 1, 0,
                            Backend.Limits.NONE),
                    new Backend("talk-only#0", "talk-only", Backend.Kind.OPENAI, base, "", "talk-only", 1, 0,
                            Backend.Limits.NONE, Set.of(Backend.Endpoint.CHAT), null, Backend.Api.CHAT));
            // A high breaker threshold: the refused image URLs below must not open the circuit between cases.
            return c.withBackends(Stream.concat(c.backends().stream(), more.stream()).toList(), ModelConfig.Source.CONFIG)
                    .withBreaker(new ModelConfig.Breaker(1000, java.time.Duration.ofSeconds(30)));
        });
        sdk = OpenAIOkHttpClient.builder().baseUrl(f.base() + "/v1").apiKey("unused-on-localhost").maxRetries(0).build();
    }

    private static Backend image(String name, URI base, String upstream, Backend.ImageFormat format) {
        return new Backend(name + "#0", name, Backend.Kind.OPENAI, base, "", upstream, 1, 0, Backend.Limits.NONE, null,
                format, Backend.Api.CHAT);
    }

    @AfterEach
    void stop() {
        sdk.close();
        f.close();
    }

    private long used(String secret) {
        return f.gatekeeper.keys().list().stream().filter(k -> secret.contains(k.id())).findFirst().orElseThrow()
                .tokensUsed();
    }

    @Test
    void embeddingsArePassedThroughChargedByUsageAndNeverLogged() throws Exception {
        String key = f.gatekeeper.keys().create("rag", Set.of(Scope.GENERATE), new ApiKey.Limits(0, 0, 1_000_000)).secret();
        OpenAIClient keyed = sdk.withOptions(o -> o.apiKey(key));
        long logged = f.app.log().size();

        for (EmbeddingCreateParams.EncodingFormat format : List.of(EmbeddingCreateParams.EncodingFormat.FLOAT,
                EmbeddingCreateParams.EncodingFormat.BASE64)) {
            CreateEmbeddingResponse answer = keyed.embeddings().create(EmbeddingCreateParams.builder()
                    .model("chat").input("the quick brown fox").encodingFormat(format).build());
            float[] expected = OpenAiLoopback.vector("the quick brown fox");
            List<Float> got = answer.data().getFirst().embedding();
            assertThat(got).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(got.get(i)).isEqualTo(expected[i]);
            }
            assertThat(answer._additionalProperties()).doesNotContainKey("aigc");
        }
        assertThat(f.upstream.bodies()).extracting(b -> b.path("model").asText()).containsOnly("upstream-chat");
        assertThat(f.app.log().size()).as("embeddings are not generated content").isEqualTo(logged);
        assertThat(used(key)).as("the upstream's usage, twice").isEqualTo(2 * ("the quick brown fox".length() / 4));
    }

    @Test
    void passThroughFallsBackLikeChatAndOnlyToModelsServingTheEndpoint() throws Exception {
        f.upstream.fault(new OpenAiLoopback.Fault.Status(500, null));
        CreateEmbeddingResponse answer = sdk.embeddings().create(EmbeddingCreateParams.builder()
                .model("chat").input("x").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(answer.data()).hasSize(1);
        assertThat(f.second.requests()).as("the second backend answered after the first failed").isEqualTo(1);

        assertThatThrownBy(() -> sdk.embeddings().create(EmbeddingCreateParams.builder().model("talk-only").input("x").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.getMessage()).contains("chat").doesNotContain("talk-only,");
                });
    }

    @Test
    void moderationsWithOrWithoutAModel() {
        ModerationCreateResponse flagged = sdk.moderations().create(ModerationCreateParams.builder()
                .model("chat").input("I will kill the process").build());
        assertThat(flagged.results().getFirst().flagged()).isTrue();
        ModerationCreateResponse fine = sdk.moderations().create(ModerationCreateParams.builder().input("hello").build());
        assertThat(fine.results().getFirst().flagged()).isFalse();
        assertThat(f.upstream.bodies().getLast().path("model").asText())
                .as("a moderation model, though chat comes first and serves moderations too")
                .isEqualTo("omni-moderation-latest");
    }

    @Test
    void transcriptionUploadsReachTheUpstreamByteForByte() throws Exception {
        byte[] audio = new byte[300_000];
        new Random(7).nextBytes(audio);
        Path file = java.nio.file.Files.write(dir.resolve("meeting.wav"), audio);
        long logged = f.app.log().size();

        var answer = sdk.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .model("chat").file(file).build());
        assertThat(answer.transcription().orElseThrow().text()).isEqualTo("Heard 300000 bytes of meeting.wav with upstream-chat.");
        assertThat(f.upstream.lastUpload()).isEqualTo(audio);

        var text = sdk.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .model("chat").file(file).responseFormat(AudioResponseFormat.TEXT).build());
        assertThat(text.transcription().orElseThrow().text()).startsWith("Heard 300000 bytes");
        assertThat(f.app.log().size()).isEqualTo(logged);
    }

    @Test
    void uploadsOverTheBodyLimitAre413AndBrokenFormsAre400() throws Exception {
        String type = "multipart/form-data; boundary=b0undary";
        byte[] huge = new byte[(int) f.gateway.config().maxBodyBytes() + 1];
        // Refused from Content-Length before the body is read; Expect: 100-continue makes the answer
        // reach the client every time (without it, the close may reset a client still sending).
        Calls.Answer tooLarge = Calls.postExpectingContinue(f.base(), "/v1/audio/transcriptions", huge, "Content-Type", type);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("request_too_large");

        byte[] noFile = "--b0undary\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nchat\r\n--b0undary--\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        Calls.Answer missing = Calls.post(f.base(), "/v1/audio/transcriptions", noFile, "Content-Type", type);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/param").asText()).isEqualTo("file");
        Calls.Answer broken = Calls.post(f.base(), "/v1/audio/transcriptions", "--b0undary\r\n".getBytes(StandardCharsets.US_ASCII),
                "Content-Type", type);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().at("/error/message").asText()).contains("malformed");
        assertThat(f.upstream.requests()).as("nothing reached the upstream").isZero();
    }

    @Test
    void speechIsReturnedUnchangedAndItsExactBytesAreLogged() throws Exception {
        byte[] got;
        String contentId;
        try (HttpResponse response = sdk.audio().speech().create(SpeechCreateParams.builder()
                .model("chat").input("你好，世界").voice("alloy").build())) {
            got = response.body().readAllBytes();
            contentId = response.headers().values("X-Content-Id").getFirst();
            assertThat(response.headers().values("X-AIGC-Label").getFirst()).contains(contentId);
            assertThat(response.headers().values("Content-Type").getFirst()).isEqualTo("audio/mpeg");
        }
        assertThat(got).isEqualTo(f.upstream.lastAudio());
        var entry = f.app.log().findByContentId(contentId).orElseThrow();
        assertThat(entry.record().sha256()).isEqualTo(OpenAiSdkTest.sha256(got));
        assertThat(entry.record().mediaType()).isEqualTo("audio/mpeg");
        assertThat(entry.record().model()).isEqualTo("chat");
    }

    @Test
    void legacyCompletionsAreLabelledPerChoiceAndLoggedLikeChat() throws Exception {
        CompletionCreateParams params = CompletionCreateParams.builder().model("chat").prompt("Say hello.").n(2)
                .putAdditionalHeader("X-AIGC-Explicit-Label", "true").build();
        Completion whole = sdk.completions().create(params);
        assertThat(whole.choices()).hasSize(2);
        for (var choice : whole.choices()) {
            assertThat(choice.text()).startsWith("AI-generated content\n\nHello from the loopback model.");
            String id = OpenAiSdkTest.field(choice._additionalProperties().get("aigc"), "contentId");
            assertThat(f.app.log().findByContentId(id).orElseThrow().record().sha256())
                    .isEqualTo(OpenAiSdkTest.sha256(choice.text().getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(f.upstream.bodies().getFirst().path("model").asText()).isEqualTo("upstream-chat");

        List<Completion> chunks = new ArrayList<>();
        try (StreamResponse<Completion> stream = sdk.completions().createStreaming(params.toBuilder().n(1).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> text.append(ch.text())));
        assertThat(text.toString()).isEqualTo("AI-generated content\n\n" + String.join("", f.upstream.pieces()));
        assertThat(chunks).allSatisfy(c -> assertThat(c._object_()).isEqualTo(JsonValue.from("text_completion")));
        String id = chunks.stream().map(c -> c._additionalProperties().get("aigc")).filter(a -> a != null)
                .map(a -> OpenAiSdkTest.field(a, "contentId")).findFirst().orElseThrow();
        assertThat(f.app.log().findByContentId(id).orElseThrow().record().sha256())
                .isEqualTo(OpenAiSdkTest.sha256(text.toString().getBytes(StandardCharsets.UTF_8)));

        java.util.Map<Long, StringBuilder> byChoice = new java.util.TreeMap<>();
        try (StreamResponse<Completion> stream = sdk.completions().createStreaming(params)) {
            stream.stream().forEach(c -> c.choices().forEach(ch ->
                    byChoice.computeIfAbsent(ch.index(), i -> new StringBuilder()).append(ch.text())));
        }
        assertThat(byChoice).as("a visible label on each choice of a stream").hasSize(2)
                .allSatisfy((i, t) -> assertThat(t.toString())
                        .isEqualTo("AI-generated content\n\n" + String.join("", f.upstream.pieces())));
    }

    @Test
    void oneModelByIdOr404InOpenAisShape() {
        assertThat(sdk.models().retrieve("chat").id()).isEqualTo("chat");
        assertThatThrownBy(() -> sdk.models().retrieve("gpt-nonexistent"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.getMessage()).contains("gpt-nonexistent");
                });
    }

    @Test
    void modelIdsMayContainSlashes() throws Exception {
        var answer = Calls.CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create(f.base() + "/v1/models/Qwen/Qwen2.5-7B"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        var error = Calls.JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).as("the route matched, not the unknown-path 404").isEqualTo("model_not_found");
        assertThat(error.path("message").asText()).contains("'Qwen/Qwen2.5-7B'");
    }

    @Test
    void gptImageModelsGetNoResponseFormatAndUrlAnswersAreFetchedMarkedAndLogged() throws Exception {
        ImagesResponse fromGptImage = sdk.images().generate(ImageGenerateParams.builder()
                .model("gpt-image").prompt("a red dot").responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());
        assertThat(f.upstream.bodies().getLast().has("response_format")).as("gpt-image refuses it").isFalse();
        byte[] image = Base64.getDecoder().decode(fromGptImage.data().orElseThrow().getFirst().b64Json().orElseThrow());
        assertThat(f.app.verifier().verify(Asset.of("a.png", image)).verdict()).isInstanceOf(Verdict.Intact.class);

        int fetched = f.upstream.fileRequests();
        ImagesResponse asUrl = sdk.images().generate(ImageGenerateParams.builder()
                .model("dall-e").prompt("a red dot").responseFormat(ImageGenerateParams.ResponseFormat.URL).build());
        assertThat(f.upstream.bodies().getLast().path("response_format").asText()).isEqualTo("url");
        assertThat(f.upstream.fileRequests()).isEqualTo(fetched + 1);
        String url = asUrl.data().orElseThrow().getFirst().url().orElseThrow();
        assertThat(url).startsWith("data:image/png;base64,");
        byte[] marked = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        assertThat(f.app.verifier().verify(Asset.of("b.png", marked)).verdict()).isInstanceOf(Verdict.Intact.class);
    }

    @Test
    void webpImagesComeBackLabelledInTheFileWithContentCredentials() throws Exception {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("gpt-image").prompt("a red dot")
                .outputFormat(ImageGenerateParams.OutputFormat.WEBP).build());
        assertThat(f.upstream.bodies().getLast().path("output_format").asText()).isEqualTo("webp");
        var image = response.data().orElseThrow().getFirst();
        byte[] bytes = Base64.getDecoder().decode(image.b64Json().orElseThrow());
        assertThat(bytes).isNotEqualTo(f.upstream.webp());
        Asset asset = Asset.of("a.webp", bytes);
        String contentId = OpenAiSdkTest.field(image._additionalProperties().get("aigc"), "contentId");
        String label = new WebpContainer().metadata(asset, ImplicitLabelMark.AIGC).orElseThrow();
        assertThat(label).contains("\"ProduceID\":\"" + contentId + "\"");
        assertThat(f.app.log().findByContentId(contentId).orElseThrow().record().mediaType()).isEqualTo("image/webp");
        var report = f.app.verifier().verify(asset);
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(report.finding(C2paMark.NAME).orElseThrow().view().toString()).contains("valid=true");
        // The image data is the upstream's, byte for byte: only the VP8X, XMP and C2PA chunks were added.
        byte[] upstream = f.upstream.webp();
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                .contains(new String(upstream, 12, upstream.length - 12, StandardCharsets.ISO_8859_1));
    }

    @Test
    void imageUrlsToPrivateAddressesOtherThanTheBackendsOwnHostAreNeverFetched() {
        // The backend is 127.0.0.1; "localhost" is another name, and the second server must see nothing.
        for (String url : List.of("http://localhost:" + f.second.root().getPort() + "/files/secret.png",
                "http://169.254.169.254/latest/meta-data/", "http://[::1]:" + f.second.root().getPort() + "/files/x.png",
                "file:///etc/passwd")) {
            f.upstream.imageUrl(url);
            assertThatThrownBy(() -> sdk.images().generate(ImageGenerateParams.builder().model("dall-e").prompt("x").build()))
                    .as(url).isInstanceOfSatisfying(InternalServerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(502);
                        assertThat(e.getMessage()).contains("does not fetch");
                    });
        }
        assertThat(f.second.fileRequests()).isZero();
    }
}
