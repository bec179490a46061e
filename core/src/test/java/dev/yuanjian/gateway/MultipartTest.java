package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multipart forms: one field replaced, every other byte forwarded as sent; broken forms are 400s. */
class MultipartTest {
    private static final String TYPE = "multipart/form-data; boundary=\"----yj7MA4YWxkTrZu0gW\"";

    private static byte[] form(String preamble, byte[] audio, String model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(("------yj7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model
                + "\r\n------yj7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(audio);
        out.writeBytes("\r\n------yj7MA4YWxkTrZu0gW--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void replacingTheModelKeepsTheFileByteForByte() {
        byte[] audio = new byte[70_000];
        new Random(1).nextBytes(audio);
        audio[100] = '\r'; // line breaks and dashes inside the file must not end it
        audio[101] = '\n';
        audio[102] = '-';
        audio[103] = '-';
        Multipart parsed = Multipart.parse(form("", audio, "whisper"), TYPE);

        assertThat(parsed.field("model").orElseThrow().text()).isEqualTo("whisper");
        assertThat(parsed.field("file").orElseThrow().filename()).contains("a.wav");
        assertThat(parsed.field("file").orElseThrow().body()).isEqualTo(audio);

        Multipart replaced = parsed.with("model", "whisper-large-v3");
        assertThat(replaced.bytes()).isEqualTo(form("", audio, "whisper-large-v3"));
        assertThat(replaced.contentType()).isEqualTo("multipart/form-data; boundary=----yj7MA4YWxkTrZu0gW");
        assertThat(Multipart.parse(form("a preamble\r\n", audio, "m"), TYPE).field("file").orElseThrow().body())
                .isEqualTo(audio);
    }

    @Test
    void brokenFormsSayWhatIsWrong() {
        byte[] good = form("", new byte[10], "m");
        assertThatThrownBy(() -> Multipart.parse(good, "application/json")).isInstanceOf(GatewayError.class)
                .hasMessageContaining("multipart/form-data");
        assertThatThrownBy(() -> Multipart.parse(good, "multipart/form-data")).hasMessageContaining("no boundary");
        assertThatThrownBy(() -> Multipart.parse(java.util.Arrays.copyOf(good, good.length - 30), TYPE))
                .hasMessageContaining("closing boundary");
        assertThatThrownBy(() -> Multipart.parse("nothing here".getBytes(StandardCharsets.US_ASCII), TYPE))
                .hasMessageContaining("no part starts with the boundary");
        byte[] nameless = ("------yj7MA4YWxkTrZu0gW\r\nContent-Type: text/plain\r\n\r\nx\r\n------yj7MA4YWxkTrZu0gW--")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Multipart.parse(nameless, TYPE)).isInstanceOfSatisfying(GatewayError.class,
                e -> assertThat(e.status()).isEqualTo(400)).hasMessageContaining("Content-Disposition");
    }
}
