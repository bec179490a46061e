package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With no model connected the gateway still answers, and says how to connect one. */
class GatewayWithoutBackendsTest {
    private final Gateway gateway = new Gateway(ModelConfig.of(List.of()), null, List.of(), List.of(), new ObjectMapper());

    @Test
    void everyCallIsA503ThatSaysHowToConnectAModel() {
        ChatRequest request = ChatRequest.of(gateway.parse(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8)),
                Optional.empty());

        Outcome outcome = gateway.chat(request);

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        GatewayError error = ((Outcome.Failed) outcome).error();
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.getMessage()).contains("YUANJIAN_OPENAI_BASE_URL").contains("config.yaml").contains("Ollama");
        assertThat(gateway.models().path("data")).isEmpty();
        assertThat(gateway.describeBackends()).isEqualTo(error.getMessage());
    }

    @Test
    void requestsAreValidatedBeforeAnyBackendIsNeeded() {
        assertThatThrownBy(() -> ChatRequest.of(gateway.parse("{\"model\":\"m\",\"messages\":[],\"aigc\":1}"
                .getBytes(StandardCharsets.UTF_8)), Optional.empty())).isInstanceOf(GatewayError.class)
                .hasMessageContaining("messages");
        ChatRequest explicit = ChatRequest.of(gateway.parse(("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],"
                + "\"aigc\":{\"explicit_label\":true},\"top_k\":3}").getBytes(StandardCharsets.UTF_8)), Optional.of(false));
        assertThat(explicit.explicit()).contains(true);
        assertThat(explicit.lastUser()).isEqualTo("你好");
        assertThat(explicit.body().has("aigc")).isFalse();
        assertThat(explicit.body().path("top_k").asInt()).isEqualTo(3);
    }
}
