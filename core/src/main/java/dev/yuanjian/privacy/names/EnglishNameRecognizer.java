package dev.yuanjian.privacy.names;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * English person names, offline, from a given-name gazetteer and cues; no model, no download.
 *
 * <p>Method, over Latin-script word tokens (letters with inner apostrophes and hyphens):
 * <ol>
 *   <li>a cue, then one to three capitalised words: a title ({@code Mr}, {@code Ms}, {@code Dr},
 *       {@code Prof}...; score 0.85) or a phrase ({@code my name is}, {@code I'm}, {@code Dear},
 *       {@code Hi}, {@code signed}, {@code Regards,}...; score 0.8). The title is not part of the name.</li>
 *   <li>a capitalised given name of the gazetteer ({@code given-names-en.txt}, about 560 names)
 *       followed by capitalised words (a middle initial allowed), or after one when that does not open a
 *       sentence (given names are surnames too: {@code Isela Terry}): score 0.85; alone: 0.6.</li>
 *   <li>given names that are also words ({@code ambiguous-en.txt}: May, Will, Grace, April...) count
 *       only with a cue before them, or a surname after them when they do not open a sentence.</li>
 * </ol>
 * Capitalised words that are not names (months, weekdays, pronouns, sentence openers, company and
 * street suffixes) never extend or start a name. Names written all in capitals or all in lower case
 * are missed; so are surnames alone without a title. Measured recall and precision, on names from
 * another source: docs/benchmarks.md, Privacy: names.
 *
 * <p>Immutable; safe to share between threads; time linear in the text.
 */
public final class EnglishNameRecognizer implements Recognizer {
    static final double CUED = 0.85;
    static final double PHRASE_CUED = 0.8;
    static final double FULL_NAME = 0.85;
    static final double GIVEN_ALONE = 0.6;
    private static final int MAX_WORDS = 3;

    private static final Set<String> TITLES = Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor",
            "sir", "dame", "madam", "lord", "lady", "rev", "reverend", "doctor", "mister");
    /** Phrases after which the next capitalised words are a name; matched on lower-case tokens. */
    private static final List<List<String>> PHRASES = List.of(
            List.of("my", "name", "is"), List.of("name", "is"), List.of("i", "am"), List.of("i'm"), List.of("im"),
            List.of("dear"), List.of("hi"), List.of("hello"), List.of("signed"), List.of("signed", "by"),
            List.of("regards"), List.of("sincerely"), List.of("thanks"), List.of("cheers"), List.of("name"),
            List.of("called"), List.of("named"), List.of("patient"), List.of("contact"), List.of("attn"),
            List.of("cc"), List.of("from"), List.of("by"));
    /** Cue words that are too common to start a name on their own: they need a gazetteer name after them. */
    private static final Set<String> WEAK_PHRASES = Set.of("from", "by", "contact", "i", "am", "i'm", "im", "called",
            "named", "thanks", "hi", "hello");

    private static final Set<String> NOT_NAMES = Set.of(
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "the", "a", "an", "i", "we", "you", "he", "she", "they", "it", "this", "that", "these", "those", "and",
            "or", "but", "if", "in", "on", "at", "to", "for", "of", "with", "by", "from", "as", "is", "are", "was",
            "please", "thanks", "thank", "hi", "hello", "dear", "regards", "sincerely", "best", "kind", "yes", "no",
            "ok", "okay", "sorry", "inc", "ltd", "llc", "corp", "co", "company", "group", "bank", "university",
            "college", "hospital", "street", "st", "road", "rd", "avenue", "ave", "lane", "city", "county", "state",
            "team", "department", "dept", "office", "meeting", "project", "report", "order", "invoice", "christmas",
            "easter", "new", "north", "south", "east", "west", "my", "our", "your", "his", "her", "their", "there",
            "here", "what", "when", "where", "who", "why", "how", "can", "could", "would", "should", "do", "does",
            "did", "not", "all", "any", "some", "every", "today", "tomorrow", "yesterday", "also", "then", "so");

    private final Set<String> given;
    private final Set<String> ambiguous;

    /** Reads the gazetteer shipped with the class. */
    public EnglishNameRecognizer() {
        this(readList("given-names-en.txt"), readList("ambiguous-en.txt"));
    }

    /** With a gazetteer of lower-case given names and the subset that needs a cue. */
    EnglishNameRecognizer(Set<String> given, Set<String> ambiguous) {
        this.given = Set.copyOf(given);
        this.ambiguous = Set.copyOf(ambiguous);
    }

    @Override
    public String name() {
        return "en-names";
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.PERSON);
    }

    /** The gazetteer, lower case (for evaluations that must keep their names out of it). */
    public Set<String> gazetteer() {
        return given;
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        List<Token> tokens = Token.split(s);
        int k = 0;
        while (k < tokens.size()) {
            int next = match(s, tokens, k, found);
            k = next > k ? next : k + 1;
        }
    }

    /** Tries the rules at token {@code k}; returns the index after what it consumed, or {@code k}. */
    private int match(String s, List<Token> tokens, int k, List<Entity> found) {
        Token t = tokens.get(k);
        String lower = t.lower();
        if (TITLES.contains(lower) && t.capitalised()) {
            int end = capitalisedRun(s, tokens, k + 1, true);
            if (end > k + 1) {
                emit(tokens, k + 1, end, CUED, found);
                return end;
            }
            return k + 1;
        }
        int afterPhrase = phraseEnd(s, tokens, k);
        if (afterPhrase > k) {
            boolean weak = WEAK_PHRASES.contains(tokens.get(afterPhrase - 1).lower());
            int end = capitalisedRun(s, tokens, afterPhrase, true);
            if (end > afterPhrase && (!weak || given.contains(tokens.get(afterPhrase).lower()))) {
                emit(tokens, afterPhrase, end, PHRASE_CUED, found);
                return end;
            }
            return afterPhrase;
        }
        boolean isAmbiguous = ambiguous.contains(lower);
        if (!t.capitalised() || !given.contains(lower) && !isAmbiguous) {
            return k;
        }
        if (isAmbiguous && startsSentence(s, t)) {
            return k + 1; // "Summer Sale", "Will Smith" at a sentence start: not decidable here
        }
        int end = capitalisedRun(s, tokens, k + 1, false);
        // A given name can be a surname too (Pamila Ryan, Isela Terry): a name-like word right
        // before it, that no rule took, starts the name.
        int start = k > 0 && capitalisedRun(s, tokens, k - 1, false) > k - 1 && !startsSentence(s, tokens.get(k - 1))
                && tokens.get(k - 1).adjacentTo(s, t, false) ? k - 1 : k;
        if (end > k + 1 || start < k) {
            emit(tokens, start, Math.max(end, k + 1), FULL_NAME, found);
            return Math.max(end, k + 1);
        }
        if (!isAmbiguous && !NOT_NAMES.contains(lower)) {
            emit(tokens, k, k + 1, GIVEN_ALONE, found);
        }
        return k + 1;
    }

    /** True when only spaces and quotes lie between {@code t} and the text's start or a sentence end. */
    private static boolean startsSentence(String s, Token t) {
        for (int i = t.start() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ' ' || c == '"' || c == '\'' || c == '(') {
                continue;
            }
            return c == '.' || c == '!' || c == '?' || c == '\n' || c == ':' || c == '。' || c == '！' || c == '？';
        }
        return true;
    }

    /** The index after a cue phrase that ends right before token {@code k + len}, or {@code k}. */
    private static int phraseEnd(String s, List<Token> tokens, int k) {
        int best = k;
        for (List<String> phrase : PHRASES) {
            if (k + phrase.size() > tokens.size()) {
                continue;
            }
            boolean same = true;
            for (int j = 0; j < phrase.size() && same; j++) {
                Token t = tokens.get(k + j);
                same = t.lower().equals(phrase.get(j)) && (j == 0 || tokens.get(k + j - 1).adjacentTo(s, t, false));
            }
            if (same && k + phrase.size() > best) {
                best = k + phrase.size();
            }
        }
        return best;
    }

    /**
     * The index after up to {@value #MAX_WORDS} capitalised name-like words from {@code k}, each
     * separated from the last by spaces only (or a middle initial's dot), or {@code k} when none.
     */
    private static int capitalisedRun(String s, List<Token> tokens, int k, boolean afterCue) {
        int end = k;
        while (end < tokens.size() && end - k < MAX_WORDS) {
            Token t = tokens.get(end);
            boolean linked = end == 0 || tokens.get(end - 1).adjacentTo(s, t, afterCue && end == k);
            if (!linked || !t.nameLike() || NOT_NAMES.contains(t.lower()) || TITLES.contains(t.lower())) {
                break;
            }
            if (t.initial() && (end + 1 >= tokens.size() || !tokens.get(end + 1).nameLike())) {
                break; // an initial is kept only inside a name
            }
            end++;
        }
        return end;
    }

    private static void emit(List<Token> tokens, int from, int to, double score, List<Entity> found) {
        found.add(new Entity(EntityType.PERSON, tokens.get(from).start(), tokens.get(to - 1).end(), score, "en-names"));
    }

    private static Set<String> readList(String resource) {
        try (InputStream in = EnglishNameRecognizer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to EnglishNameRecognizer");
            }
            Set<String> names = new HashSet<>();
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.startsWith("#")) {
                    for (String w : line.trim().split("\\s+")) {
                        if (!w.isEmpty()) {
                            names.add(w.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** A word of Latin letters (inner apostrophes and hyphens allowed) at [start, end). */
    record Token(int start, int end, String word) {
        static List<Token> split(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            int n = s.length();
            while (i < n) {
                if (!latinLetter(s.charAt(i))) {
                    i++;
                    continue;
                }
                int j = i + 1;
                while (j < n && (latinLetter(s.charAt(j))
                        || (isJoiner(s.charAt(j)) && j + 1 < n && latinLetter(s.charAt(j + 1))))) {
                    j++;
                }
                out.add(new Token(i, j, s.substring(i, j)));
                i = j;
            }
            return out;
        }

        private static boolean isJoiner(char c) {
            return c == '\'' || c == '-' || c == '\u2019';
        }

        private static boolean latinLetter(char c) {
            return c < 0x250 && Character.isLetter(c);
        }

        String lower() {
            return word.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        }

        boolean capitalised() {
            return Character.isUpperCase(word.charAt(0));
        }

        /** A single capital letter: a middle initial when a dot or space follows. */
        boolean initial() {
            return word.length() == 1 && capitalised();
        }

        /** Capitalised, with some lower case after (McDonald, O'Brien) or a lone initial. */
        boolean nameLike() {
            if (!capitalised()) {
                return false;
            }
            if (word.length() == 1) {
                return true;
            }
            for (int i = 1; i < word.length(); i++) {
                if (Character.isLowerCase(word.charAt(i))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * True when only spaces lie between this token and {@code next} (a dot too after an initial).
         * After a cue ({@code loose}) also a title's dot, a colon, or a comma and one line break
         * ({@code Dr. Li}, {@code Name: Li}, {@code Regards,\nAnn}).
         */
        boolean adjacentTo(String s, Token next, boolean loose) {
            int gap = next.start - end;
            if (gap < 1 || gap > 3) {
                return false;
            }
            for (int i = end; i < next.start; i++) {
                char c = s.charAt(i);
                boolean first = i == end;
                boolean ok = c == ' '
                        || c == '.' && first && (loose || initial())
                        || (c == ',' || c == ':') && first && loose
                        || c == '\n' && loose && !first && s.charAt(i - 1) == ',';
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
