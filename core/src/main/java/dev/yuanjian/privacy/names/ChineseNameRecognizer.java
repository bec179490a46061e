package dev.yuanjian.privacy.names;

import com.hankcs.hanlp.dictionary.CoreDictionary;
import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.common.Term;
import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Chinese person names, places and organisations, from HanLP portable's dictionaries and its person
 * role tagger, filtered.
 *
 * <p>Method: HanLP segments only runs that start and end with Han characters and hold no Latin
 * letter or line break (so English text costs nothing), each cut into windows of at most
 * {@value #WINDOW} characters that overlap by {@value #OVERLAP} (memory stays bounded on any input;
 * each finding is kept by the one window it starts in before the overlap). The segment runs HanLP's
 * person recognition (Chinese and transliterated names) but not its place and organisation taggers,
 * which cost time and swallow neighbouring names ({@code 李建国经理} as one organisation): places are
 * dictionary words tagged {@code ns}, consecutive ones merged with an administrative suffix
 * ({@code 浦东 + 新区}); organisations are a run of content words ending in an institution suffix
 * ({@code nis}: 银行, 有限公司, 大学...) or else a dictionary word tagged {@code nt*}.
 *
 * <p>Person names must be Han characters, start with a known family name ({@link ChineseSurnames}),
 * have two to four characters, not be a core-dictionary word that is rarely a name (文明, 海洋), and
 * end in a character that ends names more often than it follows them ({@link PersonRoles}); HanLP's
 * splits are mended with the same role counts. Transliterated names need three characters.
 *
 * <p>Immutable; safe to share between threads. Constructing one loads HanLP's dictionaries once per
 * JVM (see {@link Names#load()}).
 */
public final class ChineseNameRecognizer implements Recognizer {
    static final int WINDOW = 256;
    static final int OVERLAP = 24;
    private static final int MAX_ORG = 24;

    static final double PERSON_SCORE = 0.85;
    static final double LOCATION_SCORE = 0.7;
    static final double ORG_SCORE = 0.75;

    /** Prepositions HanLP glues to the brand after them when both could be a surname and a name. */
    private static final String GLUED_PREPOSITIONS = "于向在从给对与和跟被把将由";
    private static final Set<String> ADMIN_SUFFIXES = Set.of("省", "市", "区", "县", "镇", "乡", "村", "新区", "街道",
            "自治区", "自治州", "自治县", "开发区", "高新区");

    /** Generic nouns that introduce an organisation's name rather than begin it. */
    private static final Set<String> INTRODUCERS = Set.of("单位", "机构", "部门", "客户", "供应商", "合作方", "甲方", "乙方",
            "雇主", "就职", "任职", "工作", "学校", "公司");

    private final boolean customDictionary;
    /** Made on the first text (HanLP's dictionaries load then, about a second): an unused recognizer costs nothing. */
    private volatile Segment segment;

    /** With HanLP's custom dictionary (the default; see {@link #ChineseNameRecognizer(boolean)}). */
    public ChineseNameRecognizer() {
        this(true);
    }

    /**
     * @param customDictionary whether HanLP also combines words of its custom dictionary (more place
     *                         and organisation names, slower); the trade-off is measured in
     *                         docs/benchmarks.md, Privacy: names
     */
    public ChineseNameRecognizer(boolean customDictionary) {
        this.customDictionary = customDictionary;
    }

    @Override
    public String name() {
        return "zh-names";
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.PERSON, EntityType.LOCATION, EntityType.ORGANIZATION);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (!isHan(s, i)) {
                i++;
                continue;
            }
            // A run goes on through digits and punctuation (HanLP reads them as context, and fewer,
            // longer calls cost less) but stops at Latin letters and line breaks, and ends after its
            // last Han character.
            int end = i;
            int lastHan = i;
            while (end < n && !stopsRun(s.charAt(end))) {
                int cp = s.codePointAt(end);
                end += Character.charCount(cp);
                if (isHan(cp)) {
                    lastHan = end;
                }
            }
            run(s, i, lastHan, found);
            i = end;
        }
    }

    private Segment segment() {
        Segment made = segment;
        if (made == null) {
            synchronized (this) {
                made = segment;
                if (made == null) {
                    made = Hanlp.namesSegment(customDictionary);
                    segment = made;
                }
            }
        }
        return made;
    }

    /** Segments [start, end) in overlapping windows; a window keeps the findings that start before the next one. */
    private void run(String s, int start, int end, List<Entity> found) {
        int from = start;
        while (true) {
            int to = Math.min(end, from + WINDOW);
            if (to < end && Character.isHighSurrogate(s.charAt(to - 1))) {
                to--;
            }
            int keepBefore = to == end ? end : to - OVERLAP;
            window(s, from, to, keepBefore, found);
            if (to == end) {
                return;
            }
            from = keepBefore;
        }
    }

    private void window(String s, int from, int to, int keepBefore, List<Entity> found) {
        List<Term> terms = segment().seg(s.substring(from, to));
        int k = 0;
        while (k < terms.size()) {
            Term t = terms.get(k);
            int start = from + t.offset;
            int orgEnd = organisationEnd(terms, k);
            if (orgEnd > k) {
                Term last = terms.get(orgEnd - 1);
                // HanLP reads a preposition and a brand as one name (于 and 向 are surnames: 就职 / 于平安 / 银行).
                int orgStart = t.nature.toString().startsWith("nr") && t.length() >= 3
                        && GLUED_PREPOSITIONS.indexOf(t.word.charAt(0)) >= 0 ? start + 1 : start;
                add(found, EntityType.ORGANIZATION, orgStart, from + last.offset + last.length(), ORG_SCORE, keepBefore);
                k = orgEnd;
                continue;
            }
            String nature = t.nature.toString();
            if (isPlace(nature) && t.length() >= 2) {
                int j = k + 1;
                while (j < terms.size() && (isPlace(terms.get(j).nature.toString())
                        || ADMIN_SUFFIXES.contains(terms.get(j).word))) {
                    j++;
                }
                Term last = terms.get(j - 1);
                add(found, EntityType.LOCATION, start, from + last.offset + last.length(), LOCATION_SCORE, keepBefore);
                k = j;
                continue;
            }
            Found person = person(terms, k);
            if (person != null) {
                add(found, EntityType.PERSON, start, from + person.end(), PERSON_SCORE, keepBefore);
                k = person.nextTerm();
                continue;
            }
            k++;
        }
    }

    private static void add(List<Entity> found, EntityType type, int start, int end, double score, int keepBefore) {
        if (start < keepBefore) {
            found.add(new Entity(type, start, end, score, "zh-names"));
        }
    }

    /** A person name found: the index of the term after it and its end, relative to the window. */
    private record Found(int nextTerm, int end) {
    }

    /**
     * The person name starting at term {@code k}, or null. Mends HanLP's splits with the roles of its
     * person dictionary: a lone surname before a name that starts with a given-name character
     * ({@code 庞 / 阳鑫}), a name cut before its last character ({@code 肖诺 / 露}), a compound surname
     * split off ({@code 东方 / 豪 / 磊}), a name that swallowed the next word ({@code 蒋丽和}).
     */
    private static Found person(List<Term> terms, int k) {
        Term t = terms.get(k);
        String nature = t.nature.toString();
        int tEnd = t.offset + t.length();
        if (nature.equals("nrf")) {
            return t.length() >= 3 && allHan(t.word) ? new Found(k + 1, tEnd) : null;
        }
        Term next = k + 1 < terms.size() ? terms.get(k + 1) : null;
        if (t.length() == 1 && next != null && next.nature.toString().equals("nr") && next.length() == 2
                && ChineseSurnames.isSingle(t.word.charAt(0)) && PersonRoles.givenFirst(next.word.charAt(0))
                && isPersonName(t.word + next.word)) {
            return new Found(k + 2, next.offset + 2); // 庞 / 阳鑫
        }
        int end;
        String name;
        if (nature.startsWith("nr") && isPersonName(t.word)) {
            end = k + 1;
            name = t.word;
        } else if (nature.startsWith("nr") && t.length() == 3 && isPersonName(t.word.substring(0, 2))) {
            return new Found(k + 1, t.offset + 2); // 蒋丽和: 和 is the next word
        } else if (ChineseSurnames.isCompound(t.word) && next != null && next.length() == 1 && allHan(next.word)) {
            end = k + 2;
            name = t.word + next.word;
        } else {
            return null;
        }
        // Extend a one-character given name by the next single character when that is more often a
        // name's last character than a word after a name (肖诺 + 露, not 王芳 + 说).
        int surname = ChineseSurnames.surnameLength(name);
        Term last = terms.get(end - 1);
        if (name.length() == surname + 1 && end < terms.size()) {
            Term after = terms.get(end);
            if (after.length() == 1 && allHan(after.word) && PersonRoles.givenLast(after.word.charAt(0))) {
                return new Found(end + 1, after.offset + 1);
            }
        }
        return new Found(end, last.offset + last.length());
    }

    static boolean isPersonName(String word) {
        int surname = ChineseSurnames.surnameLength(word);
        if (surname == 0 || !allHan(word) || word.length() < surname + 1 || word.length() > surname + 2) {
            return false;
        }
        if (!PersonRoles.canEndName(word.charAt(word.length() - 1))) {
            return false; // 路就, 张开嘴
        }
        CoreDictionary.Attribute known = CoreDictionary.get(word);
        return known == null || hasPersonNature(known);
    }

    /** True when at least half of the word's occurrences in HanLP's corpus were as a name (not 文明, 海洋). */
    private static boolean hasPersonNature(CoreDictionary.Attribute a) {
        int asName = 0;
        for (int i = 0; i < a.nature.length; i++) {
            if (a.nature[i].toString().startsWith("nr")) {
                asName += a.frequency[i];
            }
        }
        return 2 * asName >= a.totalFrequency;
    }

    /**
     * The index after an organisation starting at term {@code k}: nouns ending in an institution
     * suffix ({@code 华为 / 技术 / 有限公司}), else one dictionary word tagged {@code nt*}.
     */
    private static int organisationEnd(List<Term> terms, int k) {
        Term first = terms.get(k);
        if (verbBrand(terms, k)) {
            return k + 2;
        }
        if (orgHead(first)) {
            int length = 0;
            for (int j = k; j < terms.size(); j++) {
                Term t = terms.get(j);
                length += t.length();
                if (length > MAX_ORG || j > k && !orgBody(t) && !isInstitutionSuffix(t)) {
                    break;
                }
                if (j > k && isInstitutionSuffix(t)) {
                    return j + 1;
                }
            }
        }
        return first.nature.toString().startsWith("nt") && first.length() >= 2 ? k + 1 : k;
    }

    /**
     * True when an organisation may start at {@code t}: a content word of two or more characters,
     * not a generic noun that introduces one ({@code 单位 / 复旦大学}).
     */
    private static boolean orgHead(Term t) {
        String nature = t.nature.toString();
        return t.length() >= 2 && orgBody(t) && !nature.startsWith("v") && !INTRODUCERS.contains(t.word);
    }

    /** A verb directly followed by an institution suffix names one ({@code 招商 / 银行}, {@code 开发 / 银行}). */
    private static boolean verbBrand(List<Term> terms, int k) {
        Term t = terms.get(k);
        return t.length() >= 2 && allHan(t.word) && t.nature.toString().startsWith("v") && !t.nature.toString().equals("vshi")
                && !t.nature.toString().equals("vyou") && k + 1 < terms.size() && isInstitutionSuffix(terms.get(k + 1));
    }

    /**
     * Any Han word but function words, numbers, times, job titles and the verbs 是 and 有. Words HanLP
     * tagged as names count (brands such as 云帆, 瑞丰 often are) unless they end in a character that
     * follows names rather than ends them: those are its false names ({@code 潘琪 / 安是 / 杭州...}),
     * and an organisation must not run on into them.
     */
    private static boolean orgBody(Term t) {
        String nature = t.nature.toString();
        if (!allHan(t.word) || nature.startsWith("nnt") || nature.startsWith("nnd")
                || nature.startsWith("nr") && !PersonRoles.canEndName(t.word.charAt(t.length() - 1))) {
            return false;
        }
        return switch (nature.charAt(0)) {
            case 'p', 'c', 'u', 'r', 'd', 'm', 'q', 'y', 'e', 'o', 'w', 'f', 't' -> false;
            case 'v' -> !nature.equals("vshi") && !nature.equals("vyou");
            default -> true;
        };
    }

    private static boolean isInstitutionSuffix(Term t) {
        return t.nature.toString().equals("nis") && t.length() >= 1;
    }

    private static boolean isPlace(String nature) {
        return nature.equals("ns") || nature.equals("nsf");
    }

    private static boolean isHan(String s, int i) {
        return isHan(s.codePointAt(i));
    }

    /** The script test, with the common CJK block first (the general lookup is a binary search). */
    private static boolean isHan(int cp) {
        if (cp >= 0x4E00 && cp <= 0x9FFF) {
            return true;
        }
        return cp >= 0x2E80 && Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
    }

    private static boolean stopsRun(char c) {
        return c == '\n' || c == '\r' || c < 0x250 && Character.isLetter(c);
    }

    private static boolean allHan(String word) {
        for (int i = 0; i < word.length(); i += Character.charCount(word.codePointAt(i))) {
            if (!isHan(word.codePointAt(i))) {
                return false;
            }
        }
        return !word.isEmpty();
    }
}
