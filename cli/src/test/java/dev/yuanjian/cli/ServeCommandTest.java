package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yuanjian serve} on an address it cannot take: one line that says where and what to do, exit 4. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPortHeldByAnotherProcessIsOneLineAndExit4() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new Main(Map.of("YUANJIAN_HOME", dir.resolve("home").toString()), new PrintWriter(out),
                    new PrintWriter(err), List.of()), "serve", "--host", "127.0.0.1", "--port", String.valueOf(port));

            assertThat(code).as(err.toString()).isEqualTo(ExitCodes.IO);
            assertThat(err.toString().lines().toList()).as(err.toString()).hasSize(1);
            assertThat(err.toString()).contains("127.0.0.1:" + port).contains("already in use").contains("--port")
                    .doesNotContain("internal error").doesNotContain("Exception");
            assertThat(out.toString()).doesNotContain("serving");
        }
    }
}
