package dev.yuanjian.privacy.rules;

import java.time.DateTimeException;
import java.time.LocalDate;

/** The validators: checksums and code tables from the standards named on each method. */
final class Checks {
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String ID_CHECK = "10X98765432";
    private static final String CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CREDIT_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    /** First two digits of GB/T 2260 region codes: the provinces, 71 Taiwan, 81 Hong Kong, 82 Macau, 83 Taiwan residents' permits. */
    private static final String PROVINCES = " 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54"
            + " 61 62 63 64 65 71 81 82 83 ";

    private Checks() {
    }

    /** GB/T 2260: {@code d} holds two digits at {@code at} that begin a province-level region code. */
    static boolean province(CharSequence d, int at) {
        char a = d.charAt(at);
        char b = d.charAt(at + 1);
        for (int i = 1; i + 2 < PROVINCES.length(); i += 3) {
            if (PROVINCES.charAt(i) == a && PROVINCES.charAt(i + 1) == b) {
                return true;
            }
        }
        return false;
    }

    /** GB 11643-1999: the 18th character of a resident ID from its first 17 digits. */
    static char residentIdCheck(CharSequence id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return ID_CHECK.charAt(sum % 11);
    }

    /** The date YYYYMMDD at {@code at}, when a real calendar day between 1850 and {@code today}. */
    static boolean birthDate(CharSequence d, int at, LocalDate today) {
        int year = number(d, at, 4);
        int month = number(d, at + 4, 2);
        int day = number(d, at + 6, 2);
        if (year < 1850 || month < 1 || month > 12 || day < 1 || day > 31) {
            return false;
        }
        try {
            return !LocalDate.of(year, month, day).isAfter(today);
        } catch (DateTimeException notADay) {
            return false;
        }
    }

    /** GB 32100-2015: the index (0..30) of {@code c} in the code's alphabet, or -1. */
    static int creditIndex(char c) {
        return CREDIT_ALPHABET.indexOf(c);
    }

    /** GB 32100-2015: the 18th character of a unified social credit code from its first 17. */
    static char creditCheck(CharSequence code) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += creditIndex(code.charAt(i)) * CREDIT_WEIGHTS[i];
        }
        return CREDIT_ALPHABET.charAt((31 - sum % 31) % 31);
    }

    /** ISO/IEC 7812-1 Annex B (Luhn): true when the digit string passes. */
    static boolean luhn(CharSequence d) {
        int sum = 0;
        boolean twice = false;
        for (int i = d.length() - 1; i >= 0; i--) {
            int v = d.charAt(i) - '0';
            if (twice) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** The decimal number of {@code len} digits at {@code at}. */
    static int number(CharSequence d, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            v = v * 10 + d.charAt(i) - '0';
        }
        return v;
    }
}
