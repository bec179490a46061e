package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.server.Http.Multipart;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment whose Time-Stamp Authority is down: an image upload is answered 503
 * {@code time_stamp_unavailable} naming the TSA, and nothing is logged; a text upload (no C2PA
 * manifest, so no time-stamp) is labelled as usual.
 */
class TimeStampApiTest {
    @TempDir
    Path home;

    @Test
    void aTsaThatIsDownRefusesImagesOnlyAndLogsNothing() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // closed again at once: connections to it are refused
        }
        String tsa = "http://127.0.0.1:" + closedPort + "/tsa";
        try (Http http = new Http(home, Settings.defaults().withPort(0), Map.of("YUANJIAN_C2PA_TSA_URL", tsa))) {
            long before = http.app.log().size();

            HttpResponse<byte[]> image = http.post("/api/v1/label",
                    new Multipart().file("file", "a.png", ImageFixtures.png(64, 48)));

            assertThat(image.statusCode()).as(Http.text(image)).isEqualTo(503);
            assertThat(Http.json(image).at("/error/code").asText()).isEqualTo("time_stamp_unavailable");
            assertThat(Http.json(image).at("/error/message").asText()).contains("the Time-Stamp Authority " + tsa,
                    "cannot be reached");
            assertThat(http.app.log().size()).isEqualTo(before);

            HttpResponse<byte[]> text = http.post("/api/v1/label", new Multipart().file("file", "a.md", "# 标题\n\n正文。\n"));
            assertThat(text.statusCode()).isEqualTo(201);
        }
    }
}
