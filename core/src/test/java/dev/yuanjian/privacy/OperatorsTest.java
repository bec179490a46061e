package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorsTest {
    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private final Operators ops = new Operators(key());
    private final MemoryPlaceholderMap map = new MemoryPlaceholderMap();

    @Test
    void masksKeepTheirEndsAndAlwaysHideSomething() {
        assertThat(ops.apply(new Operator.TypicalMask(), EntityType.CN_MOBILE, "13812345678", map)).isEqualTo("138****5678");
        assertThat(ops.apply(new Operator.TypicalMask(), EntityType.PERSON, "张三", map)).isEqualTo("张*");
        assertThat(ops.apply(new Operator.TypicalMask(), EntityType.PERSON, "张", map)).isEqualTo("*");
        assertThat(ops.apply(new Operator.TypicalMask(), EntityType.EMAIL_ADDRESS, "zhang.san@example.com", map))
                .isEqualTo("z********@example.com");
        // Code points, not UTF-16 units: an astral character is one star.
        assertThat(ops.apply(new Operator.Mask(1, 1), EntityType.PERSON, "a\uD840\uDC00b", map)).isEqualTo("a*b");
        assertThat(ops.apply(new Operator.Mask(3, 4), EntityType.CN_MOBILE, "12345", map)).isEqualTo("123*5");
    }

    @Test
    void hashesAreStableShortAndKeyed() {
        String a = ops.apply(new Operator.Hash(), EntityType.CN_MOBILE, "13812345678", map);
        assertThat(a).matches("<PHONE:hmac:[0-9a-f]{16}>")
                .isEqualTo(ops.apply(new Operator.Hash(), EntityType.CN_MOBILE, "13812345678", map))
                .isNotEqualTo(ops.apply(new Operator.Hash(), EntityType.CN_MOBILE, "13812345679", map))
                .isNotEqualTo(new Operators(key()).apply(new Operator.Hash(), EntityType.CN_MOBILE, "13812345678", map));
    }

    @Test
    void encryptionIsReversibleOnlyWithTheKeyAndTheType() {
        String token = ops.apply(new Operator.Encrypt(), EntityType.EMAIL_ADDRESS, "a@b.cn", map);
        assertThat(token).matches("<EMAIL:aes:[A-Za-z0-9_-]+>").doesNotContain("a@b.cn");
        assertThat(ops.apply(new Operator.Encrypt(), EntityType.EMAIL_ADDRESS, "a@b.cn", map)).isNotEqualTo(token);
        assertThat(ops.decrypt(token)).contains("a@b.cn");
        assertThat(new Operators(key()).decrypt(token)).isEmpty();
        assertThat(ops.decrypt(token.replace("<EMAIL:", "<PHONE:"))).isEmpty();
        assertThat(ops.decrypt("<EMAIL:aes:!!>")).isEmpty();
        assertThat(ops.decrypt("<EMAIL:aes:AAAA>")).isEmpty();
    }

    @Test
    void policiesChooseTheOperatorPerKind() {
        Pseudonymizer p = new Pseudonymizer(new Analyzer(List.of(new EmailRecognizer())), ops);
        String text = "write to li@example.com or wang@example.org";
        assertThat(p.mask(text, new MemoryPlaceholderMap()).text()).isEqualTo("write to [EMAIL_1] or [EMAIL_2]");
        assertThat(p.mask(text, new MemoryPlaceholderMap(), Policy.parse("EMAIL=drop")).text()).isEqualTo("write to  or ");
        var kept = p.mask(text, new MemoryPlaceholderMap(), Policy.parse("default=keep"));
        assertThat(kept.text()).isEqualTo(text);
        assertThat(kept.entities()).isEmpty();
        assertThat(p.mask(text, new MemoryPlaceholderMap(), Policy.parse("EMAIL_ADDRESS=mask")).text())
                .isEqualTo("write to l*@example.com or w***@example.org");
        assertThat(p.mask(text, new MemoryPlaceholderMap(), Policy.parse("default=hash")).text())
                .matches("write to <EMAIL:hmac:[0-9a-f]{16}> or <EMAIL:hmac:[0-9a-f]{16}>");
        assertThatThrownBy(() -> new Pseudonymizer(new Analyzer(List.of(new EmailRecognizer())))
                .mask(text, new MemoryPlaceholderMap(), Policy.parse("default=encrypt")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("privacy key");
    }

    @Test
    void policyTextIsCheckedWithMessagesThatSayWhatIsAccepted() {
        Policy p = Policy.parse("default=hash, PHONE=mask:2:2 ,CN_RESIDENT_ID=keep");
        assertThat(p.operatorFor(EntityType.CN_MOBILE)).isEqualTo(new Operator.Mask(2, 2));
        assertThat(p.operatorFor(EntityType.CN_RESIDENT_ID)).isEqualTo(new Operator.Keep());
        assertThat(p.operatorFor(EntityType.PERSON)).isEqualTo(new Operator.Hash());
        assertThat(Policy.of(Map.of()).operatorFor(EntityType.PERSON)).isEqualTo(new Operator.Replace());
        assertThatThrownBy(() -> Policy.parse("PHONE")).hasMessageContaining("KIND=OPERATOR");
        assertThatThrownBy(() -> Policy.parse("PHONE=scramble")).hasMessageContaining("replace, mask");
        assertThatThrownBy(() -> Policy.parse("TELEPHONE=mask")).hasMessageContaining("CN_MOBILE");
        assertThatThrownBy(() -> Policy.parse("PHONE=mask:x:1")).hasMessageContaining("mask:FIRST:LAST");
        assertThatThrownBy(() -> Policy.parse("PHONE=mask:-1:1")).hasMessageContaining("non-negative");
    }
}
