package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.model.Backend;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Which image URLs a backend may make the gateway fetch (SSRF): public addresses and its own host only. */
class ImageFetcherTest {
    private static final Backend REMOTE = new Backend("r#0", "r", Backend.Kind.OPENAI, URI.create("https://api.example.com/v1"),
            "", "dall-e-3", 1, 0, Backend.Limits.NONE);
    private static final Backend LOCAL = new Backend("l#0", "l", Backend.Kind.OPENAI, URI.create("http://10.1.2.3:8000/v1"),
            "", "dall-e-3", 1, 0, Backend.Limits.NONE);

    @Test
    void nonPublicAddressesOfEveryKindAreRefused() throws Exception {
        for (String a : new String[] {"127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "240.0.0.1", "255.255.255.255",
                "192.0.0.8", "198.18.0.1", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1",
                "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "::7f00:1", "2002:7f00:1::1"}) {
            assertThat(ImageFetcher.isPublic(InetAddress.getByName(a))).as(a).isFalse();
        }
        for (String a : new String[] {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                "64:ff9b::808:808", "2002:808:808::1"}) {
            assertThat(ImageFetcher.isPublic(InetAddress.getByName(a))).as(a).isTrue();
        }
    }

    @Test
    void urlsAreRefusedByScheme_andPrivateHostsUnlessTheBackendsOwn() {
        assertThat(ImageFetcher.refusal(URI.create("file:///etc/passwd"), REMOTE)).get().asString().contains("http");
        assertThat(ImageFetcher.refusal(URI.create("ftp://example.com/a.png"), REMOTE)).isPresent();
        assertThat(ImageFetcher.refusal(URI.create("http://169.254.169.254/latest/meta-data/"), REMOTE)).get()
                .asString().contains("169.254.169.254");
        assertThat(ImageFetcher.refusal(URI.create("http://[::1]:8080/a.png"), REMOTE)).isPresent();
        assertThat(ImageFetcher.refusal(URI.create("http://localhost/a.png"), REMOTE)).isPresent();
        assertThat(ImageFetcher.refusal(URI.create("http://10.1.2.3:9000/files/a.png"), LOCAL))
                .as("the backend's own host, another port").isEmpty();
        assertThat(ImageFetcher.refusal(URI.create("http://10.1.2.4/files/a.png"), LOCAL)).isPresent();
        assertThat(ImageFetcher.refusal(URI.create("http://8.8.8.8/a.png"), REMOTE)).isEmpty();
    }
}
