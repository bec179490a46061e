package dev.yuanjian.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Signing goes straight to the key (no Signer object per signature) and stays RFC 8032 Ed25519. */
class SigningKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void signaturesAreThoseOfRfc8032() {
        // RFC 8032, section 7.1, TEST 1 (empty message) and TEST 2 (one byte).
        SigningKey one = SigningKey.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HEX.formatHex(one.publicKey())).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(HEX.formatHex(one.sign(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        SigningKey two = SigningKey.fromSeed(HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
        assertThat(HEX.formatHex(two.sign(new byte[] {0x72}))).isEqualTo("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    }

    @Test
    void aSignatureVerifiesAndAnAlteredMessageDoesNot() {
        SigningKey key = SigningKey.generate();
        byte[] message = "yuanjian-seal/v2\nproducer\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);
        assertThat(SigningKey.verify(key.publicKey(), message, signature)).isTrue();
        message[0] ^= 1;
        assertThat(SigningKey.verify(key.publicKey(), message, signature)).isFalse();
    }
}
