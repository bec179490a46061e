package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.server.Http.Multipart;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/label}'s form fields {@code explicit} and {@code c2pa}: the visible label and
 * C2PA Content Credentials are left out on request, the metadata label never.
 */
class LabelOptionsTest {
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

    private static byte[] photo() throws Exception {
        BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(0x2a6f97));
        g.fillRect(0, 0, 320, 200);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static JsonNode label(Multipart form) throws Exception {
        HttpResponse<byte[]> response = http.post("/api/v1/label", form);
        assertThat(response.statusCode()).as(Http.text(response)).isEqualTo(201);
        return Http.json(response);
    }

    private static List<String> marks(JsonNode labelled) {
        List<String> marks = new ArrayList<>();
        labelled.path("marks").forEach(m -> marks.add(m.asText()));
        return marks;
    }

    private static JsonNode verify(byte[] bytes) throws Exception {
        return Http.json(http.post("/api/v1/verify", new Multipart().file("file", "photo.png", bytes)));
    }

    @Test
    void explicitAndC2paCanEachBeLeftOutAndTheMetadataLabelStays() throws Exception {
        byte[] original = photo();
        JsonNode all = label(new Multipart().file("file", "photo.png", original));
        assertThat(marks(all)).containsExactly("gb45438-explicit", "gb45438-implicit", "c2pa");

        JsonNode noC2pa = label(new Multipart().file("file", "photo.png", original).field("c2pa", "false"));
        assertThat(marks(noC2pa)).containsExactly("gb45438-explicit", "gb45438-implicit");

        JsonNode metadataOnly = label(new Multipart().file("file", "photo.png", original)
                .field("explicit", "off").field("c2pa", "no"));
        assertThat(marks(metadataOnly)).containsExactly("gb45438-implicit");
        byte[] bytes = Base64.getDecoder().decode(metadataOnly.at("/file/base64").asText());
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("caBX").contains("TC260");
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(original));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(b.getRGB(0, 0, 320, 200, null, 0, 320)).isEqualTo(a.getRGB(0, 0, 320, 200, null, 0, 320));

        JsonNode report = verify(bytes);
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
        assertThat(report.get("explicitLabel").asBoolean()).isFalse();
        assertThat(report.at("/log/index").asLong()).isEqualTo(metadataOnly.get("logIndex").asLong());
    }

    @Test
    void aC2paFieldThatIsNotABooleanIsRefusedBeforeAnythingIsLogged() throws Exception {
        HttpResponse<byte[]> response = http.post("/api/v1/label", new Multipart().file("file", "photo.png", photo())
                .field("c2pa", "maybe"));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("bad_parameter");
        assertThat(error.get("message").asText()).contains("c2pa");
    }
}
