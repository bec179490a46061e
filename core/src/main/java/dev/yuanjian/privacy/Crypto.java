package dev.yuanjian.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Key derivation shared by the operators and the vault: one 32-byte secret, one key per labelled use. */
public final class Crypto {
    private Crypto() {
    }

    /** HMAC-SHA256({@code secret}, {@code label}): 32 bytes, independent for each label. */
    public static byte[] derive(byte[] secret, String label) {
        return hmac(secret, label.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
