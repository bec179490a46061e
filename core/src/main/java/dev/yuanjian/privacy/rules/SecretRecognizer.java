package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Credentials by their published shapes, found at their prefixes in one left-to-right pass:
 * OpenAI and Anthropic keys ({@code sk-} + 20 or more of {@code A-Za-z0-9_-}); AWS access key ids
 * ({@code AKIA}/{@code ASIA} + 16 of {@code A-Z0-9}); GitHub tokens ({@code ghp_ gho_ ghu_ ghs_ ghr_} + 36
 * or more letters and digits, {@code github_pat_} + 22 or more); Slack tokens ({@code xoxb- xoxp- xoxa-
 * xoxr- xoxs-} + 10 or more); Google API keys ({@code AIza} + 35); PEM private keys from {@code -----BEGIN
 * ... PRIVATE KEY-----} to the next {@code -----END ... PRIVATE KEY-----} (RFC 7468; a header without
 * its footer is not reported); JWTs (RFC 7519 compact form: three base64url parts, the first two
 * JSON so beginning {@code ey}); the token after {@code Bearer } (RFC 6750, 16 or more characters, the
 * word itself left out of the span). A candidate must not follow a letter or digit. Scores 1.0.
 */
final class SecretRecognizer implements Recognizer {
    static final String NAME = "secret";
    private static final String PEM_BEGIN = "-----BEGIN ";
    private static final String PEM_END = "-----END ";
    private static final String PEM_TAIL = "PRIVATE KEY-----";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.SECRET);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        int n = s.length();
        boolean footers = true;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int end = -1;
            if (i > 0 && Chars.alnum(s.charAt(i - 1)) && c != '-') {
                i++;
                continue;
            }
            switch (c) {
                case 's' -> end = s.startsWith("sk-", i) ? run(s, i + 3, 20, Integer.MAX_VALUE, SecretRecognizer::keyChar) : -1;
                case 'A' -> {
                    if (s.startsWith("AKIA", i) || s.startsWith("ASIA", i)) {
                        end = run(s, i + 4, 16, 16, SecretRecognizer::upperOrDigit);
                    } else if (s.startsWith("AIza", i)) {
                        end = run(s, i + 4, 35, 35, SecretRecognizer::keyChar);
                    }
                }
                case 'g' -> {
                    if (s.startsWith("github_pat_", i)) {
                        end = run(s, i + 11, 22, Integer.MAX_VALUE, SecretRecognizer::wordChar);
                    } else if (s.startsWith("gh", i) && i + 3 < n && "pousr".indexOf(s.charAt(i + 2)) >= 0 && s.charAt(i + 3) == '_') {
                        end = run(s, i + 4, 36, Integer.MAX_VALUE, Chars::alnum);
                    }
                }
                case 'x' -> end = s.startsWith("xox", i) && i + 4 < n && "bpars".indexOf(s.charAt(i + 3)) >= 0 && s.charAt(i + 4) == '-'
                        ? run(s, i + 5, 10, Integer.MAX_VALUE, SecretRecognizer::slackChar) : -1;
                case 'e' -> end = s.startsWith("eyJ", i) && !dotted(s, i - 1) ? jwt(s, i) : -1;
                case 'B', 'b' -> {
                    if (s.regionMatches(true, i, "bearer ", 0, 7)) {
                        int token = i + 7;
                        int tokenEnd = bearerToken(s, token);
                        if (tokenEnd > 0) {
                            found.add(new Entity(EntityType.SECRET, token, tokenEnd, 1.0, NAME));
                            i = tokenEnd;
                            continue;
                        }
                    }
                }
                case '-' -> {
                    if (footers && s.startsWith(PEM_BEGIN, i)) {
                        int header = pemLabelEnd(s, i + PEM_BEGIN.length());
                        if (header > 0) {
                            end = pemFooterEnd(s, header);
                            footers = end > 0;
                        }
                    }
                }
                default -> {
                }
            }
            if (end > 0) {
                found.add(new Entity(EntityType.SECRET, i, end, 1.0, NAME));
                i = end;
            } else {
                i++;
            }
        }
    }

    /**
     * The end of a run of {@code ok} characters from {@code from} of length within [min, max] that no
     * letter or digit follows, or -1.
     */
    private static int run(String s, int from, int min, int max, CharTest ok) {
        int i = from;
        while (i < s.length() && ok.test(s.charAt(i)) && i - from <= max) {
            i++;
        }
        int len = i - from;
        return len >= min && len <= max && !Chars.alnumAt(s, i) ? i : -1;
    }

    /** The end of a compact JWT at {@code i}, or -1: header.payload.signature, parts of 10 or more. */
    private static int jwt(String s, int i) {
        int dot = skip(s, i);
        if (dot - i < 10 || dot >= s.length() || s.charAt(dot) != '.' || !s.startsWith("ey", dot + 1)) {
            return -1;
        }
        int second = skip(s, dot + 1);
        if (second - dot - 1 < 10 || second >= s.length() || s.charAt(second) != '.') {
            return -1;
        }
        int third = skip(s, second + 1);
        return third - second - 1 >= 10 && !dotted(s, third) ? third : -1;
    }

    private static int skip(String s, int from) {
        int i = from;
        while (i < s.length() && keyChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean dotted(String s, int i) {
        return i >= 0 && i < s.length() && s.charAt(i) == '.';
    }

    private static int bearerToken(String s, int from) {
        int i = from;
        while (i < s.length() && (keyChar(s.charAt(i)) || "._~+/".indexOf(s.charAt(i)) >= 0)) {
            i++;
        }
        while (i < s.length() && s.charAt(i) == '=') {
            i++;
        }
        while (i > from && s.charAt(i - 1) == '.') {
            i--;
        }
        return i - from >= 16 ? i : -1;
    }

    /** The index after {@code LABEL-----} when the label ends in PRIVATE KEY and is at most 40 characters, or -1. */
    private static int pemLabelEnd(String s, int from) {
        int i = from;
        while (i < s.length() && i - from <= 40 && (Chars.upper(s.charAt(i)) || s.charAt(i) == ' ')) {
            i++;
        }
        return i - from >= PEM_TAIL.length() - 5 && s.startsWith(PEM_TAIL, i - (PEM_TAIL.length() - 5)) ? i + 5 : -1;
    }

    /** The index after the first private key footer at or after {@code from}, or -1 when there is none. */
    private static int pemFooterEnd(String s, int from) {
        for (int at = s.indexOf(PEM_END, from); at >= 0; at = s.indexOf(PEM_END, at + 1)) {
            int end = pemLabelEnd(s, at + PEM_END.length());
            if (end > 0) {
                return end;
            }
        }
        return -1;
    }

    private static boolean keyChar(char c) {
        return Chars.alnum(c) || c == '_' || c == '-';
    }

    private static boolean wordChar(char c) {
        return Chars.alnum(c) || c == '_';
    }

    private static boolean upperOrDigit(char c) {
        return Chars.upper(c) || Chars.digit(c);
    }

    private static boolean slackChar(char c) {
        return Chars.alnum(c) || c == '-';
    }

    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }
}
