package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.testing.OpenAiLoopback;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yuanjian generate} and {@code yuanjian keys} against a loopback model server. */
class GatewayCommandsTest {
    @TempDir
    Path dir;
    OpenAiLoopback upstream;
    Map<String, String> env;
    String out;
    String err;

    @BeforeEach
    void start() throws Exception {
        upstream = new OpenAiLoopback().reply("春眠不觉晓，处处闻啼鸟。");
        env = new HashMap<>(Map.of("YUANJIAN_HOME", dir.resolve("home").toString(),
                "YUANJIAN_OPENAI_BASE_URL", upstream.baseUrl().toString(), "YUANJIAN_MODEL", "poet",
                "YUANJIAN_OLLAMA_URL", "off"));
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(env, new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void generateWritesTheLabelledTextThatVerifyFindsIntact() throws Exception {
        Path poem = dir.resolve("poem.txt");

        assertThat(run("generate", "写一首关于春天的诗", "-o", poem.toString(), "--explicit")).as(err).isEqualTo(ExitCodes.OK);

        assertThat(Files.readString(poem)).contains("春眠不觉晓").contains("本内容由人工智能生成");
        assertThat(dir.resolve("poem.txt.aigc.json")).exists();
        assertThat(out).contains("content id");
        assertThat(run("verify", poem.toString(), "--json")).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(new ObjectMapper().readTree(out).get("verdict").asText()).isEqualTo("intact");

        assertThat(run("generate", "again", "--json")).isEqualTo(ExitCodes.OK);
        JsonNode answer = new ObjectMapper().readTree(out);
        assertThat(answer.at("/aigc/contentId").asText()).hasSize(26);
        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("春眠不觉晓，处处闻啼鸟。");
    }

    /**
     * Attack: another process writes the output after generate checked that it is free and before
     * generate writes it (here: while the model is still answering). That file is never replaced.
     */
    @Test
    void generateNeverReplacesAnOutputWrittenMeanwhile() throws Exception {
        Path poem = dir.resolve("poem.md");
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        upstream.fault(new OpenAiLoopback.Fault.Held(answer, null));
        var generate = java.util.concurrent.CompletableFuture.supplyAsync(() -> run("generate", "a poem", "-o", poem.toString()));
        while (upstream.inFlight() == 0 && !generate.isDone()) {
            Thread.sleep(5); // until the model has the request: generate has checked OUT by then
        }
        Files.writeString(poem, "the other process's poem");
        answer.countDown();

        assertThat(generate.get()).as(out + err).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("already exists: " + poem).contains("written by another process meanwhile");
        assertThat(Files.readString(poem)).isEqualTo("the other process's poem");
        assertThat(dir.resolve("poem.md.aigc.json")).as("no label file beside another's output").doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void generateWithoutAnyModelSaysHowToConnectOne() {
        env.remove("YUANJIAN_OPENAI_BASE_URL");

        assertThat(run("generate", "hello")).isEqualTo(ExitCodes.MODEL);
        assertThat(err).contains("YUANJIAN_OPENAI_BASE_URL").contains("Ollama");

        env.put("YUANJIAN_OPENAI_BASE_URL", upstream.baseUrl().toString());
        assertThat(run("generate", "hello", "--model", "nope")).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void keysAreCreatedListedAndRevoked() throws Exception {
        assertThat(run("keys", "create", "--name", "web", "--scopes", "generate,verify", "--rpm", "60", "--json"))
                .as(err).isEqualTo(ExitCodes.OK);
        JsonNode created = new ObjectMapper().readTree(out);
        assertThat(created.get("key").asText()).startsWith("yj_" + created.get("id").asText() + "_");
        assertThat(created.get("scopes").asText()).isEqualTo("generate,verify");

        assertThat(run("keys", "list")).isEqualTo(ExitCodes.OK);
        assertThat(out).contains(created.get("id").asText()).contains("active").doesNotContain(created.get("key").asText());
        assertThat(run("keys", "revoke", created.get("id").asText())).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("No active key is left: every gateway request is now refused");
        assertThat(run("keys", "revoke", created.get("id").asText())).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("keys", "create", "--name", "x", "--scopes", "root")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("generate, verify, admin");
    }
}
