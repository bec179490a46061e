package dev.yuanjian.privacy;

/**
 * A masking refused as a whole, with nothing of it stored: too many new values for one request or
 * one conversation, or conversations unavailable (the vault key missing or wrong). The message says
 * what to do and holds no personal value, conversation id or key. Servers answer {@link
 * Reason#TOO_MANY_VALUES} with 413 and {@link Reason#VAULT_UNAVAILABLE} with 503.
 */
public final class MaskingRefused extends RuntimeException {

    /** Why the masking was refused. */
    public enum Reason {
        /** More new personal values than a request or a conversation may store. */
        TOO_MANY_VALUES("too_many_personal_values"),
        /** The vault cannot be opened: its key is missing or not the vault's. */
        VAULT_UNAVAILABLE("vault_unavailable");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The error code clients see. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public MaskingRefused(Reason reason, String message) {
        super(message, null, false, false); // an expected refusal: no stack trace to fill or log
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
