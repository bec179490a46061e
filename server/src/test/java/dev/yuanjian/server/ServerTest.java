package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.app.Settings;
import dev.yuanjian.ledger.ProvenanceRecord;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.pipeline.ContentIds;
import dev.yuanjian.server.Http.Multipart;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API end to end: a real server on a free port over a fresh H2 data directory. */
class ServerTest {
    private static final long MAX_UPLOAD = 256 << 10;
    private static final String ARTICLE = "# 季度报告\n\n本季度销售额增长了百分之十二，主要来自华东地区。\n";
    /** The seal in ReservedCode1 (see dev.yuanjian.verify.Seal): found the same way in every text format. */
    private static final Pattern SEAL = Pattern.compile("YJ2\\.[0-9a-f]{8}\\.[0-9a-f]{16}\\.([A-Za-z0-9_-]{86})");

    @TempDir
    static Path home;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        http = new Http(home, MAX_UPLOAD);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static JsonNode label(String name, String content) throws Exception {
        HttpResponse<byte[]> response = http.post("/api/v1/label", new Multipart().file("file", name, content)
                .field("model", "qwen-test"));
        assertThat(response.statusCode()).as(Http.text(response)).isEqualTo(201);
        return Http.json(response);
    }

    private static byte[] labelledBytes(JsonNode labelled) {
        return Base64.getDecoder().decode(labelled.at("/file/base64").asText());
    }

    private static JsonNode verify(String name, byte[] content) throws Exception {
        HttpResponse<byte[]> response = http.post("/api/v1/verify", new Multipart().file("file", name, content));
        assertThat(response.statusCode()).as(Http.text(response)).isEqualTo(200);
        return Http.json(response);
    }

    @Test
    void labelledMarkdownVerifiesIntactWithAProofThatChecks() throws Exception {
        JsonNode labelled = label("report.md", ARTICLE);
        assertThat(labelled.at("/aigc/Label").asText()).isEqualTo("1");
        assertThat(labelled.at("/aigc/ProduceID").asText()).isEqualTo(labelled.get("contentId").asText());
        assertThat(labelled.at("/file/name").asText()).isEqualTo("report.md");
        assertThat(labelled.at("/file/mediaType").asText()).isEqualTo(labelled.get("mediaType").asText());
        String text = new String(labelledBytes(labelled), StandardCharsets.UTF_8);
        assertThat(text).contains("AIGC").contains("季度报告").contains("人工智能生成");

        JsonNode report = verify("report.md", labelledBytes(labelled));
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
        assertThat(report.at("/summary/en").asText()).contains("unchanged");
        assertThat(report.at("/summary/zh").asText()).contains("未被修改");
        assertThat(report.get("explicitLabel").asBoolean()).isTrue();
        assertThat(report.at("/log/index").asLong()).isEqualTo(labelled.get("logIndex").asLong());
        assertProofChecks(report.at("/log/proof"));
        assertThat(report.at("/log/checkpoint/note").asText())
                .startsWith("yuanjian.local/log\n" + report.at("/log/checkpoint/size").asLong() + "\n"
                        + report.at("/log/proof/rootHash").asText() + "\n");
    }

    @Test
    void downloadReturnsTheFileItselfWithTheLabelInHeaders() throws Exception {
        HttpResponse<byte[]> response = http.post("/api/v1/label?download=1",
                new Multipart().file("file", "周报.md", ARTICLE).field("explicit", "false"));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=\"__.md\"; filename*=UTF-8''%E5%91%A8%E6%8A%A5.md");
        String contentId = response.headers().firstValue("X-Content-Id").orElseThrow();
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/log/proof/" + contentId);
        assertThat(response.headers().firstValue("X-AIGC-Label").orElseThrow())
                .startsWith("{\"AIGC\":{\"Label\":\"1\"").contains(contentId);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(text).contains(contentId).doesNotContain("人工智能生成"); // explicit=false: metadata only

        JsonNode report = verify("周报.md", response.body());
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
        assertThat(report.get("explicitLabel").asBoolean()).isFalse();

        HttpResponse<byte[]> byAccept = http.post("/api/v1/label", new Multipart().file("file", "a.md", ARTICLE),
                "Accept", "text/markdown");
        assertThat(byAccept.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/markdown");
        assertThat(Http.text(byAccept)).contains("AIGC");
    }

    @Test
    void editedContentIsAlteredAndAnEditedSealIsForged() throws Exception {
        JsonNode labelled = label("notes.md", ARTICLE);
        String text = new String(labelledBytes(labelled), StandardCharsets.UTF_8);

        String edited = text.replace("百分之十二", "百分之二十");
        JsonNode altered = verify("notes.md", edited.getBytes(StandardCharsets.UTF_8));
        assertThat(altered.get("verdict").asText()).isEqualTo("altered");
        assertThat(altered.at("/log/index").asLong()).isEqualTo(labelled.get("logIndex").asLong());
        assertProofChecks(altered.at("/log/proof"));

        Matcher seal = SEAL.matcher(text);
        assertThat(seal.find()).isTrue();
        char first = text.charAt(seal.start(1));
        String forgedText = text.substring(0, seal.start(1)) + (first == 'A' ? 'B' : 'A') + text.substring(seal.start(1) + 1);
        JsonNode forged = verify("notes.md", forgedText.getBytes(StandardCharsets.UTF_8));
        assertThat(forged.get("verdict").asText()).isEqualTo("forged");
        assertThat(forged.at("/reason/en").asText()).isNotBlank();
        assertThat(forged.at("/reason/zh").asText()).isNotBlank();
        assertThat(forged.has("log")).isFalse();
    }

    @Test
    void plainMarkdownIsUnlabelled() throws Exception {
        JsonNode report = verify("plain.md", "# Hello\n\nWritten by a person.\n".getBytes(StandardCharsets.UTF_8));
        assertThat(report.get("verdict").asText()).isEqualTo("unlabelled");
        assertThat(report.get("aigc").isNull()).isTrue();
        assertThat(report.get("knownToLog").isArray()).isTrue();
        assertThat(report.at("/summary/en").asText()).startsWith("No AI-generation label");
    }

    @Test
    void plainTextTravelsWithItsSidecar() throws Exception {
        JsonNode labelled = label("poem.txt", "床前明月光，疑是地上霜。\n");
        JsonNode sidecar = labelled.get("sidecar");
        assertThat(sidecar.get("name").asText()).isEqualTo("poem.txt.aigc.json");
        byte[] sidecarBytes = Base64.getDecoder().decode(sidecar.get("base64").asText());
        assertThat(new String(sidecarBytes, StandardCharsets.UTF_8)).contains(labelled.get("contentId").asText());

        HttpResponse<byte[]> response = http.post("/api/v1/verify", new Multipart()
                .file("file", "poem.txt", labelledBytes(labelled))
                .file("sidecar", "poem.txt.aigc.json", sidecarBytes));
        assertThat(Http.json(response).get("verdict").asText()).isEqualTo("intact");

        HttpResponse<byte[]> raw = http.post("/api/v1/label?download=true",
                new Multipart().file("file", "poem.txt", "床前明月光。\n"));
        assertThat(raw.headers().firstValue("X-AIGC-Sidecar-Name")).contains("poem.txt.aigc.json");
        assertThat(raw.headers().firstValue("X-AIGC-Sidecar")).isPresent();
    }

    @Test
    void badInputGetsTheRightStatusAndErrorJson() throws Exception {
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "anim.gif", gif)),
                415, "unsupported_format");
        assertError(http.post("/api/v1/label", new Multipart().file("file", "anim.gif", gif)),
                415, "unsupported_format");
        // A PNG cut off inside its header: a supported format, broken.
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "photo.png", png)),
                422, "invalid_file");
        // A name that promises a supported format over bytes that are not that format: broken, not unknown.
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "report.docx", "hello")),
                422, "invalid_file");

        byte[] corruptDocx = "PK\u0003\u0004\u0014\u0000garbage that is no zip".getBytes(StandardCharsets.ISO_8859_1);
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "broken.docx", corruptDocx)),
                422, "invalid_file");
        assertError(http.post("/api/v1/label", new Multipart().file("file", "broken.pdf", "%PDF-1.7\n1 0 obj <<")),
                422, "invalid_file");

        assertError(http.post("/api/v1/verify", new Multipart().file("file", "bad.txt", "hello\n")
                .file("sidecar", "bad.txt.aigc.json", "{\"AIGC\": {not json")), 422, "invalid_file");
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "bad.md",
                "---\nAIGC: '{\"AIGC\":{\"Label\":'\n---\n# Hi\n")), 422, "invalid_file");

        assertError(http.post("/api/v1/verify", new Multipart().field("model", "x")), 400, "missing_file");
        assertError(http.send(HttpRequest.newBuilder(http.uri("/api/v1/verify"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()),
                400, "not_multipart");
        assertError(http.post("/api/v1/label", new Multipart().file("file", "a.md", ARTICLE).field("explicit", "maybe")),
                400, "bad_parameter");
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "a\u0085b.md", ARTICLE)),
                400, "invalid_file_name");
        // Jetty refuses other control characters in part headers before our check sees them.
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "a\u0007b.md", ARTICLE)),
                400, "bad_upload");
    }

    @Test
    void fileNamesAreNamesNeverPaths() throws Exception {
        JsonNode report = verify("../../etc/passwd.md", "# Hi\n".getBytes(StandardCharsets.UTF_8));
        assertThat(report.get("file").asText()).isEqualTo("passwd.md");
        JsonNode windows = verify("C:\\Users\\me\\..\\secret.md", "# Hi\n".getBytes(StandardCharsets.UTF_8));
        assertThat(windows.get("file").asText()).isEqualTo("secret.md");
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "../..", "x")), 400, "invalid_file_name");
        assertThat(Path.of("/etc/passwd.aigc.json")).doesNotExist();
    }

    @Test
    void oversizeUploadsGet413AndTheServerKeepsServing() throws Exception {
        byte[] big = new byte[(int) MAX_UPLOAD * 2];
        Arrays.fill(big, (byte) 'a');
        assertError(http.post("/api/v1/verify", new Multipart().file("file", "big.md", big)), 413, "too_large");

        // Just over the per-file limit but within the request limit: caught while reading the part.
        byte[] justOver = new byte[(int) MAX_UPLOAD + 1];
        Arrays.fill(justOver, (byte) 'b');
        assertError(http.post("/api/v1/label", new Multipart().file("file", "big.md", justOver)), 413, "too_large");

        // No Content-Length (chunked): refused up front, since the limit could only be checked halfway.
        Multipart small = new Multipart().file("file", "small.md", "# Hi\n");
        HttpRequest chunked = HttpRequest.newBuilder(http.uri("/api/v1/verify"))
                .header("Content-Type", small.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(small.bytes())))
                .build();
        assertError(http.send(chunked), 411, "length_required");

        HttpResponse<byte[]> health = http.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Http.json(health).get("ok").asBoolean()).isTrue();
    }

    @Test
    void proofEndpointAndConsistency() throws Exception {
        JsonNode labelled = label("proof.md", ARTICLE);
        String id = labelled.get("contentId").asText();
        HttpResponse<byte[]> response = http.get("/api/v1/log/proof/" + id);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode proof = Http.json(response);
        assertThat(proof.at("/record/contentId").asText()).isEqualTo(id);
        assertThat(proof.at("/record/model").asText()).isEqualTo("qwen-test");
        assertThat(proof.get("index").asLong()).isEqualTo(labelled.get("logIndex").asLong());
        assertProofChecks(proof.get("proof"));

        assertError(http.get("/api/v1/log/proof/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404, "unknown_content_id");
        assertError(http.get("/api/v1/log/proof/not-an-id"), 400, "bad_content_id");

        long size = Http.json(http.get("/api/v1/log/checkpoint")).get("size").asLong();
        JsonNode consistency = Http.json(http.get("/api/v1/log/consistency?from=1&to=" + size));
        assertThat(consistency.get("oldSize").asLong()).isEqualTo(1);
        assertThat(consistency.get("newSize").asLong()).isEqualTo(size);
        assertError(http.get("/api/v1/log/consistency?from=0"), 400, "bad_parameter");
        assertError(http.get("/api/v1/log/consistency?from=1&to=" + (size + 1000)), 400, "bad_parameter");
        assertError(http.get("/api/v1/log/consistency?from=abc"), 400, "bad_parameter");
    }

    @Test
    void checkpointAndTilesAreServedAsC2spTlogTiles() throws Exception {
        label("tile-a.md", ARTICLE);
        JsonNode last = label("tile-b.md", ARTICLE);
        JsonNode checkpoint = Http.json(http.get("/api/v1/log/checkpoint"));
        long size = checkpoint.get("size").asLong();
        assertThat(size).isGreaterThanOrEqualTo(2);
        assertThat(checkpoint.get("verifierKey").asText()).startsWith("yuanjian.local/log+");

        HttpResponse<byte[]> note = http.get("/log/checkpoint");
        assertThat(note.statusCode()).isEqualTo(200);
        assertThat(note.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(Http.text(note)).startsWith("yuanjian.local/log\n" + size + "\n").contains("\n\n\u2014 ");

        HttpResponse<byte[]> tile = http.get("/log/tile/0/000.p/" + size);
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/octet-stream");
        assertThat(tile.headers().firstValue("Cache-Control").orElseThrow()).doesNotContain("immutable");
        assertThat(tile.body()).hasSize((int) size * 32);
        // Level 0 holds the leaf hashes: entry i's hash sits at bytes 32i..32i+31.
        JsonNode entry = Http.json(http.get("/api/v1/log/proof/" + last.get("contentId").asText()));
        int index = entry.get("index").asInt();
        assertThat(Arrays.copyOfRange(tile.body(), index * 32, index * 32 + 32))
                .isEqualTo(Base64.getDecoder().decode(entry.get("leafHash").asText()));

        HttpResponse<byte[]> bundle = http.get("/log/tile/entries/000.p/" + size);
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(Http.text(bundle)).contains("\"contentId\"");

        assertError(http.get("/log/tile/0/000.p/" + (size + 1)), 404, "not_found"); // beyond the tree
        assertError(http.get("/log/tile/0/x000/000.p/1"), 404, "not_found"); // non-canonical number
        assertError(http.get("/log/tile/0/0.p/1"), 404, "not_found");
        assertError(http.get("/log/tile/99/000"), 404, "not_found");
    }

    @Test
    void fullTilesAreImmutable(@TempDir Path otherHome) throws Exception {
        try (Http own = new Http(otherHome, MAX_UPLOAD)) {
            // Fill the first tile directly through the log: 256 uploads would only be slower.
            ContentIds ids = new ContentIds(Clock.systemUTC(), new SecureRandom());
            List<CompletableFuture<TransparencyLog.Appended>> appends = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                appends.add(own.app.log().appendAsync(new ProvenanceRecord(ids.next(), "text/markdown", "ab".repeat(32),
                        Settings.PLACEHOLDER_PRODUCER, "filler", Instant.now(), "")));
            }
            appends.forEach(CompletableFuture::join);

            HttpResponse<byte[]> full = own.get("/log/tile/0/000");
            assertThat(full.statusCode()).isEqualTo(200);
            assertThat(full.body()).hasSize(256 * 32);
            assertThat(full.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
            assertThat(own.get("/log/tile/entries/000").statusCode()).isEqualTo(200);
            assertThat(own.get("/log/tile/0/000.p/255").headers().firstValue("Cache-Control").orElseThrow())
                    .doesNotContain("immutable");
        }
    }

    @Test
    void healthAndUnknownRoutes() throws Exception {
        JsonNode health = Http.json(http.get("/healthz"));
        assertThat(health.get("ok").asBoolean()).isTrue();
        assertThat(health.get("database").asText()).isEqualTo("h2");
        assertThat(health.has("logSize")).isTrue();

        assertError(http.get("/api/v1/nothing-here"), 404, "not_found");
        assertError(http.get("/api/v1/verify"), 405, "method_not_allowed");

        HttpResponse<byte[]> page = http.get("/verify");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(http.get("/").statusCode()).isEqualTo(200);
        assertThat(http.get("/assets/app.css").statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(Http.text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    /** RFC 9162 section 2.1.3.2: the audit path must lead from the leaf hash to the root hash. */
    static void assertProofChecks(JsonNode proof) throws Exception {
        long fn = proof.get("index").asLong();
        long sn = proof.get("treeSize").asLong() - 1;
        byte[] r = Base64.getDecoder().decode(proof.get("leafHash").asText());
        List<byte[]> path = new ArrayList<>();
        proof.get("path").forEach(p -> path.add(Base64.getDecoder().decode(p.asText())));
        for (byte[] p : path) {
            assertThat(sn).as("path longer than the tree allows").isPositive();
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        assertThat(sn).isZero();
        assertThat(Base64.getEncoder().encodeToString(r)).isEqualTo(proof.get("rootHash").asText());
    }

    private static byte[] node(byte[] left, byte[] right) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }
}
