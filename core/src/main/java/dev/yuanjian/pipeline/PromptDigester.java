package dev.yuanjian.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed digests of prompts (HMAC-SHA256 with a secret kept in the data directory). The log may
 * then prove "this output came from that prompt" to whoever holds the prompt and asks the operator,
 * while a reader of the public log cannot test guesses against it.
 */
public final class PromptDigester {
    private final SecretKeySpec key;

    public PromptDigester(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the prompt key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** 64 lowercase hex digits. */
    public String digest(String prompt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(prompt.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
