package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.Extension;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.gateway.ChatRequest;
import dev.yuanjian.gateway.ResponseFilter;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Issuance;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.mark.Message;
import dev.yuanjian.mark.Stage;
import dev.yuanjian.server.Server;
import dev.yuanjian.testing.OpenAiLoopback;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that marks and filters plug in: a mark (an HTML comment in Markdown) and a response filter
 * defined here, in test sources, through the public interfaces only, appear in {@code label},
 * {@code verify} (CLI text and JSON, the HTTP API) and the gateway, with no change to main sources.
 */
class ExtensionTest {
    @TempDir
    Path dir;

    /** An invisible mark for Markdown: {@code <!-- yj-test-mark CONTENT-ID -->} at the end. */
    static final class HtmlCommentMark implements Mark {
        static final Pattern FOUND = Pattern.compile("<!-- yj-test-mark ([0-9A-Z]{26}) -->");

        @Override
        public String name() {
            return "test-html-comment";
        }

        @Override
        public Stage stage() {
            return Stage.WATERMARK;
        }

        @Override
        public boolean appliesTo(Container container) {
            return container.format().equals("markdown");
        }

        @Override
        public Asset apply(Asset asset, Container container, Issuance issuance) {
            byte[] comment = ("\n<!-- yj-test-mark " + issuance.contentId() + " -->\n").getBytes(StandardCharsets.UTF_8);
            byte[] out = java.util.Arrays.copyOf(asset.bytes(), asset.bytes().length + comment.length);
            System.arraycopy(comment, 0, out, asset.bytes().length, comment.length);
            return asset.withBytes(out);
        }

        @Override
        public Finding detect(Asset asset, Container container, AssetDigests digests) {
            Matcher m = FOUND.matcher(new String(asset.bytes(), StandardCharsets.UTF_8));
            String id = m.find() ? m.group(1) : null;
            return new Finding() {
                public String mark() {
                    return name();
                }

                public String type() {
                    return "test-html-comment";
                }

                public boolean present() {
                    return id != null;
                }

                public Message summary() {
                    return id != null ? new Message("test comment found", "找到测试注释") : new Message("no test comment", "无测试注释");
                }

                public List<Fact> facts() {
                    return id == null ? List.of() : List.of(new Fact("comment id", id));
                }

                public List<Message> notes() {
                    return List.of();
                }

                public List<Claim> claims() {
                    return List.of();
                }

                public Object view() {
                    return Map.of("commentId", id == null ? "" : id);
                }
            };
        }
    }

    /** Appends " [checked]" to every answer and says so in its aigc object. */
    static final class CheckedFilter implements ResponseFilter {
        @Override
        public String name() {
            return "test-checked";
        }

        @Override
        public AnswerFilter open(ChatRequest request) {
            return new AnswerFilter() {
                int chars;

                @Override
                public String text(String piece) {
                    chars += piece.length();
                    return piece;
                }

                @Override
                public String end() {
                    return " [checked]";
                }

                @Override
                public void annotate(ObjectNode aigc) {
                    aigc.put("testChecked", chars);
                }
            };
        }
    }

    static final Extension EXTENSION = new Extension() {
        @Override
        public List<Mark> marks(Context context) {
            return List.of(new HtmlCommentMark());
        }

        @Override
        public List<ResponseFilter> responseFilters(Context context) {
            return List.of(new CheckedFilter());
        }
    };

    private String run(Map<String, String> env, int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(env, List.of(EXTENSION), new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isEqualTo(expected);
        return out.toString();
    }

    @Test
    void aMarkAndAFilterFromTestSourcesAppearInLabelVerifyAndTheGateway() throws Exception {
        try (OpenAiLoopback upstream = new OpenAiLoopback().reply("Spring rain falls softly.")) {
            Map<String, String> env = Map.of("YUANJIAN_HOME", dir.resolve("home").toString(), "YUANJIAN_PORT", "0",
                    "YUANJIAN_OLLAMA_URL", "off", "YUANJIAN_OPENAI_BASE_URL", upstream.baseUrl().toString(),
                    "YUANJIAN_MODEL", "poet");
            Path in = dir.resolve("poem.md");
            Files.writeString(in, "# Spring\n\nRain on the roof.\n");
            Path out = dir.resolve("poem.labelled.md");

            // label: the mark is applied and listed
            String labelled = run(env, 0, "label", in.toString(), "-o", out.toString());
            assertThat(labelled).contains("test-html-comment");
            assertThat(Files.readString(out)).containsPattern(HtmlCommentMark.FOUND);

            // verify, text and JSON: the finding is rendered without the CLI knowing its type
            String text = run(env, 0, "verify", out.toString());
            assertThat(text).contains("test-html-comment", "test comment found", "comment id");
            JsonNode report = JsonViews.mapper().readTree(run(env, 0, "verify", out.toString(), "--json"));
            JsonNode finding = findingOf(report, "test-html-comment");
            assertThat(finding.path("present").asBoolean()).isTrue();
            assertThat(finding.path("view").path("commentId").asText()).hasSize(26);

            // a Markdown file without the comment: the mark reports it absent
            Files.writeString(dir.resolve("plain.md"), "# Plain\n");
            JsonNode plain = JsonViews.mapper().readTree(run(env, 12, "verify", dir.resolve("plain.md").toString(), "--json"));
            assertThat(findingOf(plain, "test-html-comment").path("present").asBoolean()).isFalse();

            // the HTTP API and the gateway of a server built by the same composition root
            try (Yuanjian app = Yuanjian.open(env, List.of(EXTENSION)); Server server = Server.start(app)) {
                HttpClient client = HttpClient.newHttpClient();
                String boundary = "b0undary";
                byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"poem.md\"\r\n"
                        + "Content-Type: text/markdown\r\n\r\n" + Files.readString(out) + "\r\n--" + boundary + "--\r\n")
                        .getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> verified = client.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/verify"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(verified.statusCode()).isEqualTo(200);
                JsonNode http = JsonViews.mapper().readTree(verified.body());
                assertThat(http.path("verdict").asText()).isEqualTo("intact");
                assertThat(findingOf(http, "test-html-comment").path("present").asBoolean()).isTrue();

                URI chat = server.uri().resolve("/v1/chat/completions");
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(chat).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"poet\",\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"a poem\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode completion = JsonViews.mapper().readTree(answer.body());
                assertThat(completion.at("/choices/0/message/content").asText()).endsWith("Spring rain falls softly. [checked]");
                assertThat(completion.at("/aigc/testChecked").asInt()).isEqualTo("Spring rain falls softly.".length());

                HttpResponse<String> stream = client.send(HttpRequest.newBuilder(chat).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"poet\",\"stream\":true,\"messages\":"
                                + "[{\"role\":\"user\",\"content\":\"a poem\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
                StringBuilder streamed = new StringBuilder();
                JsonNode last = null;
                for (String line : stream.body().split("\n")) {
                    if (line.startsWith("data: {")) {
                        JsonNode chunk = JsonViews.mapper().readTree(line.substring(6));
                        streamed.append(chunk.at("/choices/0/delta/content").asText(""));
                        last = chunk;
                    }
                }
                assertThat(streamed.toString()).endsWith("Spring rain falls softly. [checked]");
                assertThat(last.at("/aigc/testChecked").asInt()).isEqualTo("Spring rain falls softly.".length());
            }
        }
    }

    private static JsonNode findingOf(JsonNode report, String mark) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("mark").asText().equals(mark)) {
                return f;
            }
        }
        throw new AssertionError("no finding of " + mark + " in " + report);
    }
}
