package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./yuanjian} launcher's decisions (JDK choice and its cache, rebuilding the jar and the
 * AOT cache, JVM options per command), checked by {@code src/test/sh/launcher-test.sh} against a
 * copy of the launcher with a stand-in JDK and Maven wrapper; see that script for each case.
 */
class LauncherTest {
    @Test
    void launcherDecisions() throws Exception {
        Path bash = Path.of("/bin/bash");
        Assumptions.assumeTrue(Files.isExecutable(bash), "the launcher is a bash script; no /bin/bash here");
        Path script = Path.of("src/test/sh/launcher-test.sh").toAbsolutePath();
        Path launcher = Path.of("../yuanjian").toAbsolutePath().normalize();
        Process process = new ProcessBuilder(bash.toString(), script.toString(), launcher.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("launcher-test.sh finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("0 failure(s)");
    }
}
