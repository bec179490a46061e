package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.container.PdfFixtures;
import dev.yuanjian.server.Http.Multipart;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PDFs as the real world has them through the HTTP API: the repair notice, refusals as 422 with the reason. */
class RealWorldPdfApiTest {
    @TempDir
    static Path home;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        http = new Http(home, 4 << 20);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static byte[] pages() {
        return ContainerFixtures.pdf(PdfFixtures.PAGES, false);
    }

    @Test
    void aDamagedPdfIsLabelledWithANoticeAndVerifiesIntact() throws Exception {
        byte[] damaged = PdfFixtures.damaged(pages(), PdfFixtures.Damage.NO_STARTXREF);
        HttpResponse<byte[]> response = http.post("/api/v1/label", new Multipart().file("file", "d.pdf", damaged));
        assertThat(response.statusCode()).as(Http.text(response)).isEqualTo(201);
        JsonNode labelled = Http.json(response);
        assertThat(labelled.at("/notices/0/en").asText()).contains("repaired");
        assertThat(labelled.at("/notices/0/zh").asText()).contains("修复");

        byte[] bytes = Base64.getDecoder().decode(labelled.at("/file/base64").asText());
        JsonNode report = Http.json(http.post("/api/v1/verify", new Multipart().file("file", "d.pdf", bytes)));
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
    }

    @Test
    void encryptedPdfsAreVerifiedAndLockedOnesRefusedWith422() throws Exception {
        byte[] open = PdfFixtures.encrypted(pages(), PdfFixtures.Cipher.AES_256, "", true);
        HttpResponse<byte[]> labelled = http.post("/api/v1/label", new Multipart().file("file", "e.pdf", open));
        assertThat(labelled.statusCode()).as(Http.text(labelled)).isEqualTo(201);
        assertThat(Http.json(labelled).get("notices")).isEmpty();

        byte[] locked = PdfFixtures.encrypted(pages(), PdfFixtures.Cipher.AES_128, "", false);
        HttpResponse<byte[]> refused = http.post("/api/v1/label", new Multipart().file("file", "locked.pdf", locked));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(Http.json(refused).at("/error/message").asText()).contains("permissions do not allow changing it");
        JsonNode report = Http.json(http.post("/api/v1/verify", new Multipart().file("file", "locked.pdf", locked)));
        assertThat(report.get("verdict").asText()).isEqualTo("unlabelled");
        assertThat(report.at("/notes/0/en").asText()).contains("Encrypted PDF (AES-128)");

        byte[] secret = PdfFixtures.encrypted(pages(), PdfFixtures.Cipher.RC4_128, "pw", true);
        HttpResponse<byte[]> closed = http.post("/api/v1/verify", new Multipart().file("file", "secret.pdf", secret));
        assertThat(closed.statusCode()).isEqualTo(422);
        assertThat(Http.json(closed).at("/error/message").asText()).contains("needs a password to open");
    }

    @Test
    void verifyNotesAC2paManifest() throws Exception {
        byte[] withManifest = PdfFixtures.withC2paManifest(pages(), true);
        JsonNode report = Http.json(http.post("/api/v1/verify", new Multipart().file("file", "c.pdf", withManifest)));
        assertThat(report.at("/notes/0/en").asText()).isEqualTo("C2PA manifest present (not validated here)");
        assertThat(report.at("/notes/0/zh").asText()).isEqualTo("含有 C2PA 清单（此处未验证）");
    }
}
