package dev.yuanjian.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Operator;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrivacyConfigTest {
    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    @Test
    void policiesPerKeyByIdOrNameAndTheTimeToLive() throws Exception {
        PrivacyConfig c = PrivacyConfig.parse(yaml("""
                privacy:
                  policy: {default: mask, EMAIL: hash}
                  keys:
                    ab12cd34: "default=keep"
                    analytics: {PERSON: drop}
                  vault: {ttlHours: 2}
                """), Map.of());
        var p = c.policies();
        assertThat(p.forCaller(Optional.empty(), Optional.empty()).operatorFor(EntityType.EMAIL_ADDRESS))
                .isEqualTo(new Operator.Hash());
        assertThat(p.forCaller(Optional.of("ab12cd34"), Optional.of("analytics")).operatorFor(EntityType.PERSON))
                .as("the id wins over the name").isEqualTo(new Operator.Keep());
        assertThat(p.forCaller(Optional.of("zz"), Optional.of("analytics")).operatorFor(EntityType.PERSON))
                .isEqualTo(new Operator.Drop());
        assertThat(p.forCaller(Optional.of("zz"), Optional.of("analytics")).operatorFor(EntityType.CN_MOBILE))
                .as("a key's policy replaces the default one").isEqualTo(new Operator.Replace());
        assertThat(c.vaultTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(PrivacyConfig.parse(yaml("privacy: {vault: {ttlHours: 2}}"), Map.of("YUANJIAN_PRIVACY_VAULT_TTL_HOURS", "5"))
                .vaultTtl()).isEqualTo(Duration.ofHours(5));
        assertThat(PrivacyConfig.parse(yaml("{}"), Map.of())).isEqualTo(PrivacyConfig.DEFAULTS);
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> PrivacyConfig.parse(yaml("privacy: {keys: {web: {PHONE: shred}}}"), Map.of()))
                .hasMessageContaining("privacy.keys.web").hasMessageContaining("unknown operator");
        assertThatThrownBy(() -> PrivacyConfig.parse(yaml("privacy: {policy: [mask]}"), Map.of()))
                .hasMessageContaining("privacy.policy");
        assertThatThrownBy(() -> PrivacyConfig.parse(yaml("privacy: {vault: {ttlHours: 0}}"), Map.of()))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> PrivacyConfig.parse(yaml("privacy: {vault: {ttlHours: day}}"), Map.of()))
                .hasMessageContaining("whole number");
    }
}
