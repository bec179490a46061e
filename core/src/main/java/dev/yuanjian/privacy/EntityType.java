package dev.yuanjian.privacy;

import java.util.Locale;

/**
 * The kinds of personal data Yuanjian recognizes. Each has the short tag its placeholders carry
 * ({@code [PHONE_1]}) and the entity name Presidio-shaped answers use ({@code entity_type}); several
 * of ours share one Presidio name where Presidio has only the general kind.
 */
public enum EntityType {
    /** Mainland resident identity card number, 18 characters (GB 11643-1999). */
    CN_RESIDENT_ID("ID_CARD", "CN_RESIDENT_ID"),
    /** Unified social credit code of an organisation, 18 characters (GB 32100-2015). */
    CN_SOCIAL_CREDIT_CODE("CREDIT_CODE", "CN_SOCIAL_CREDIT_CODE"),
    /** Mainland mobile number, 11 digits, with or without +86 and separators. */
    CN_MOBILE("PHONE", "PHONE_NUMBER"),
    /** Mainland landline with its area code (0xx-xxxxxxxx). */
    CN_LANDLINE("LANDLINE", "PHONE_NUMBER"),
    /** Bank card number (16-19 digits, Luhn), UnionPay and domestic debit cards. */
    CN_BANK_CARD("BANK_CARD", "CN_BANK_CARD"),
    /** International credit card number (Luhn and issuer ranges). */
    CREDIT_CARD("CREDIT_CARD", "CREDIT_CARD"),
    /** Passport: mainland (E/G), Hong Kong (K), Macau (MA). */
    CN_PASSPORT("PASSPORT", "CN_PASSPORT"),
    /** Vehicle licence plate, including new-energy plates. */
    CN_LICENSE_PLATE("PLATE", "CN_LICENSE_PLATE"),
    EMAIL_ADDRESS("EMAIL", "EMAIL_ADDRESS"),
    /** IPv4 or IPv6 address. */
    IP_ADDRESS("IP", "IP_ADDRESS"),
    /** A URL carrying a user name and password ({@code https://user:pass@host/}). */
    URL_WITH_CREDENTIALS("URL", "URL"),
    /** API keys, private keys, bearer tokens and JWTs. */
    SECRET("SECRET", "SECRET"),
    /** A person's name, Chinese or English. */
    PERSON("PERSON", "PERSON"),
    /** A place name. */
    LOCATION("LOCATION", "LOCATION"),
    /** An organisation's name. */
    ORGANIZATION("ORG", "ORGANIZATION");

    private final String tag;
    private final String presidioName;

    EntityType(String tag, String presidioName) {
        this.tag = tag;
        this.presidioName = presidioName;
    }

    /** The tag placeholders carry: upper-case ASCII letters and underscores. */
    public String tag() {
        return tag;
    }

    /** The {@code entity_type} Presidio's analyzer would report for this kind. */
    public String presidioName() {
        return presidioName;
    }

    /**
     * The normal form of {@code value} as this kind, so that one person's value is one key however
     * it was written (the in-memory map and the vault both key on it): folded as recognizers read it
     * ({@link NormalizedText}: full-width digits, zero-width characters), without white space, dashes
     * and brackets, upper-case; a mobile number also without its {@code +86}, {@code 0086} or
     * {@code 86} prefix.
     */
    public String normalForm(String value) {
        String folded = NormalizedText.of(value).text();
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (!Character.isWhitespace(c) && c != '-' && c != '(' && c != ')') {
                out.append(c);
            }
        }
        String s = out.toString().toUpperCase(Locale.ROOT);
        if (this == CN_MOBILE) {
            for (String prefix : new String[] {"+86", "0086", "86"}) {
                if (s.startsWith(prefix) && s.length() == prefix.length() + 11) {
                    return s.substring(prefix.length());
                }
            }
        }
        return s;
    }
}
