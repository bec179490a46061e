package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestorerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Originals with the characters that break careless restoring: quotes, backslashes, brackets, a placeholder's shape. */
    private static final List<String> ORIGINALS = List.of("张三", "O\"Brien", "C:\\Users\\li", "李四\n王五", "[PHONE_7]",
            "13812345678", "a$1\\0", "😀 emoji", "x]y[z");

    private static final List<String> NEAR_MISSES = List.of("[", "]", "[]", "[1]", "[PERSON_]", "[PERSON_01]", "[PERSON_1",
            "[PERSONX_1]", "[person_1]", "[PERSON_12345678901]", "[PERSON_2147483648]", "[link](https://example.com)",
            "[[", "[ID_CARD", "[ID_CARD_", "[ID_", "[PHONE__1]", "[EMAIL_1 ]", "[ PERSON_1]", "]]", "[BANK_CARD_3");

    private static final List<String> PLAIN = List.of("a", "b", " ", "\n", "你好", "。", "_", "1", "0", "P", "ER", "😀", "𠀀",
            "\"", "\\", "(", ")", "\u200b");

    private record Case(String text, MemoryPlaceholderMap map) {
    }

    private static Case randomCase(Random random) {
        MemoryPlaceholderMap map = new MemoryPlaceholderMap();
        List<String> issued = new ArrayList<>();
        EntityType[] types = EntityType.values();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            EntityType type = types[random.nextInt(types.length)];
            issued.add(map.placeholderFor(type, ORIGINALS.get(random.nextInt(ORIGINALS.size())) + i).toString());
        }
        StringBuilder text = new StringBuilder();
        int tokens = random.nextInt(40);
        for (int i = 0; i < tokens; i++) {
            int kind = random.nextInt(10);
            if (kind < 3 && !issued.isEmpty()) {
                text.append(issued.get(random.nextInt(issued.size())));
            } else if (kind == 3) {
                text.append(new Placeholder(types[random.nextInt(types.length)], 90 + random.nextInt(10))); // never issued
            } else if (kind < 6) {
                text.append(NEAR_MISSES.get(random.nextInt(NEAR_MISSES.size())));
            } else {
                text.append(PLAIN.get(random.nextInt(PLAIN.size())));
            }
        }
        return new Case(text.toString(), map);
    }

    /** Cuts at random UTF-16 indexes (inside surrogate pairs too), one char per piece, or empty pieces between. */
    private static List<String> cut(String text, Random random) {
        List<String> pieces = new ArrayList<>();
        int mode = random.nextInt(3);
        int at = 0;
        while (at < text.length()) {
            int size = switch (mode) {
                case 0 -> 1;
                case 1 -> random.nextInt(5);
                default -> 1 + random.nextInt(Math.max(1, text.length()));
            };
            int end = Math.min(text.length(), at + size);
            pieces.add(text.substring(at, end));
            at = end;
        }
        return pieces;
    }

    /**
     * The length of the shortest tail of {@code text} that could still become a placeholder, from
     * the syntax alone: a {@code [} then a beginning of some tag and its underscore, or something that
     * {@link Placeholder#parse} accepts once closed (with or without one more digit).
     */
    private static int couldBecomePlaceholder(String text) {
        for (int k = 1; k <= text.length(); k++) {
            String s = text.substring(text.length() - k);
            if (s.charAt(0) != '[' || s.indexOf(']') >= 0 || s.indexOf('[', 1) >= 0) {
                continue;
            }
            for (EntityType t : EntityType.values()) {
                if (("[" + t.tag() + "_").startsWith(s)) {
                    return k;
                }
            }
            if (Placeholder.parse(s + "]").isPresent() || Placeholder.parse(s + "1]").isPresent()) {
                return k;
            }
        }
        return 0;
    }

    @Test
    void anyCuttingRestoresAsTheWholeTextAndHoldsOnlyAPlaceholdersBeginning() {
        Random random = new Random(20261201L);
        for (int n = 0; n < 5000; n++) {
            Case c = randomCase(random);
            String whole = Pseudonymizer.restore(c.text(), c.map());
            Restorer restorer = new Restorer(c.map(), Restorer.Encoding.TEXT);
            StringBuilder out = new StringBuilder();
            StringBuilder fed = new StringBuilder();
            for (String piece : cut(c.text(), random)) {
                out.append(restorer.next(piece));
                fed.append(piece);
                assertThat(restorer.holding()).as("held after %s", fed)
                        .isEqualTo(couldBecomePlaceholder(fed.toString()))
                        .isLessThan(Placeholder.MAX_LENGTH);
            }
            out.append(restorer.end());
            assertThat(out.toString()).as("case %d: %s", n, c.text()).isEqualTo(whole);
        }
    }

    @Test
    void aPlaceholderCutIntoSingleCharactersIsRestoredAndReleasedAtItsClosingBracket() {
        MemoryPlaceholderMap map = new MemoryPlaceholderMap();
        Placeholder p = map.placeholderFor(EntityType.PERSON, "张三");
        Restorer restorer = new Restorer(map, Restorer.Encoding.TEXT);
        StringBuilder out = new StringBuilder();
        for (char c : ("Hi " + p + "!").toCharArray()) {
            String sent = restorer.next(String.valueOf(c));
            if (c == ']') {
                assertThat(sent).isEqualTo("张三");
            }
            out.append(sent);
        }
        assertThat(out.append(restorer.end()).toString()).isEqualTo("Hi 张三!");
    }

    @Test
    void bracketsThatCannotBecomeAPlaceholderAreReleasedAtOnce() {
        Restorer restorer = new Restorer(new MemoryPlaceholderMap(), Restorer.Encoding.TEXT);
        assertThat(restorer.next("see [")).isEqualTo("see ");
        assertThat(restorer.next("1")).isEqualTo("[1");
        assertThat(restorer.next("] and [PER")).isEqualTo("] and ");
        assertThat(restorer.next("SON_99]")).isEqualTo("[PERSON_99]"); // well formed, never issued: as it was
        assertThat(restorer.next("[link](x)")).isEqualTo("[link](x)");
        assertThat(restorer.next("[PHONE_")).isEmpty();
        assertThat(restorer.end()).isEqualTo("[PHONE_");
    }

    @Test
    void originalsWrittenIntoJsonStringsKeepTheArgumentsValidJson() throws Exception {
        Random random = new Random(7);
        for (String original : ORIGINALS) {
            MemoryPlaceholderMap map = new MemoryPlaceholderMap();
            Placeholder p = map.placeholderFor(EntityType.PERSON, original);
            String arguments = "{\"name\":\"" + p + "\",\"note\":\"[1] " + p + " [PERSON_9]\"}";
            Restorer restorer = new Restorer(map, Restorer.Encoding.JSON_STRING);
            StringBuilder out = new StringBuilder();
            for (String piece : cut(arguments, random)) {
                out.append(restorer.next(piece));
            }
            out.append(restorer.end());
            assertThat(out.toString()).isEqualTo(Restorer.restoreAll(arguments, map, Restorer.Encoding.JSON_STRING));
            var parsed = JSON.readTree(out.toString());
            assertThat(parsed.path("name").asText()).isEqualTo(original);
            assertThat(parsed.path("note").asText()).isEqualTo("[1] " + original + " [PERSON_9]");
        }
    }
}
