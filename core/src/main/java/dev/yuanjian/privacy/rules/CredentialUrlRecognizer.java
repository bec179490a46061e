package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * URLs that carry a password ({@code scheme://user:password@host/path}, RFC 3986 3.2.1): found at
 * each {@code ://}, with a scheme of at most 32 characters, a user-info part of at most 256
 * characters holding a non-empty user and a non-empty password, and a host. The span is the whole
 * URL up to the first space, quote, angle bracket or non-ASCII character, trailing punctuation
 * left out. Scores 1.0. Each character is read by at most one candidate's path, so the scan is linear.
 */
final class CredentialUrlRecognizer implements Recognizer {
    static final String NAME = "url-credentials";
    private static final int LONGEST_SCHEME = 32;
    private static final int LONGEST_USERINFO = 256;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.URL_WITH_CREDENTIALS);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        int n = s.length();
        int search = 0;
        for (int mark = s.indexOf("://", search); mark >= 0; mark = s.indexOf("://", search)) {
            search = mark + 3;
            int from = mark;
            while (from > 0 && mark - from < LONGEST_SCHEME && scheme(s.charAt(from - 1))) {
                from--;
            }
            if (from == mark || !Chars.letter(s.charAt(from)) || Chars.alnumAt(s, from - 1)) {
                continue;
            }
            int at = mark + 3;
            int colon = -1;
            while (at < n && at - mark < LONGEST_USERINFO && userinfo(s.charAt(at))) {
                if (colon < 0 && s.charAt(at) == ':') {
                    colon = at;
                }
                at++;
            }
            if (at >= n || s.charAt(at) != '@' || colon <= mark + 3 || colon + 1 >= at || !hostStart(s, at + 1)) {
                continue;
            }
            int to = at + 1;
            while (to < n && urlChar(s.charAt(to))) {
                to++;
            }
            while (".,;:!?)]}'".indexOf(s.charAt(to - 1)) >= 0) {
                to--;
            }
            found.add(new Entity(EntityType.URL_WITH_CREDENTIALS, from, to, 1.0, NAME));
            search = to;
        }
    }

    private static boolean scheme(char c) {
        return Chars.alnum(c) || c == '+' || c == '.' || c == '-';
    }

    private static boolean userinfo(char c) {
        return c > ' ' && c < 0x7F && c != '/' && c != '?' && c != '#' && c != '@' && c != '"' && c != '<' && c != '>';
    }

    private static boolean hostStart(String s, int i) {
        return i < s.length() && (Chars.alnum(s.charAt(i)) || s.charAt(i) == '[');
    }

    private static boolean urlChar(char c) {
        return c > ' ' && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '`' && c != '\\' && c != '{' && c != '}'
                && c != '|' && c != '^';
    }
}
