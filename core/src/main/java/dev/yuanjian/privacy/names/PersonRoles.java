package dev.yuanjian.privacy.names;

import com.hankcs.hanlp.corpus.dictionary.item.EnumItem;
import com.hankcs.hanlp.corpus.tag.NR;
import com.hankcs.hanlp.dictionary.nr.PersonDictionary;

/**
 * How often HanLP's person dictionary (counted over the People's Daily 1998 corpus) saw a character
 * in each role around Chinese names: B surname, C first and D last character of a two-character
 * given name, E a one-character given name, K word before a name, L word after a name. The
 * recognizer mends HanLP's splits with these counts. Read-only after HanLP has loaded.
 */
final class PersonRoles {
    private PersonRoles() {
    }

    /** True when {@code c} is more often a given name's first character than a surname (娜, 阳). */
    static boolean givenFirst(char c) {
        EnumItem<NR> roles = roles(c);
        return roles != null && roles.getFrequency(NR.C) + roles.getFrequency(NR.E) > roles.getFrequency(NR.B);
    }

    /**
     * True when {@code c} after a one-character given name is more likely its second character than
     * the next word: its last-character count is over twice its context counts (露 32 to 10; not 说,
     * 家, 来 (1,170 to 291, a verb often after names)).
     */
    static boolean givenLast(char c) {
        EnumItem<NR> roles = roles(c);
        return roles != null && roles.getFrequency(NR.D) > 2 * context(roles) && roles.getFrequency(NR.D) >= 5
                && "来去说走到看想要是在和与跟同".indexOf(c) < 0;
    }

    /** False when {@code c} ends names less often than it follows them (就, 嘴 in 路就, 张开嘴). */
    static boolean canEndName(char c) {
        EnumItem<NR> roles = roles(c);
        return roles == null || roles.getFrequency(NR.D) + roles.getFrequency(NR.E) > context(roles);
    }

    private static int context(EnumItem<NR> roles) {
        return roles.getFrequency(NR.L) + roles.getFrequency(NR.K);
    }

    private static EnumItem<NR> roles(char c) {
        return PersonDictionary.dictionary.get(String.valueOf(c));
    }
}
