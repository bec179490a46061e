package dev.yuanjian.bench.privacy;

import java.time.LocalDate;
import java.util.random.RandomGenerator;

/**
 * Random values of every rule type, valid by their standards (check characters computed here,
 * independently of core's validators, so a mistake in one does not hide in the other), and the
 * look-alikes that are not.
 */
final class Values {
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CREDIT_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final String[] PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
        "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"};
    private static final String PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    private static final String PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String[] NAMES = {"zhang.san", "li_si", "wang.wu88", "chen.jie", "alice", "bob.smith", "j.doe",
        "liu+news", "zhao-yun", "support.team"};
    private static final String[] DOMAINS = {"example.com", "163.com", "qq.com", "mail.example.cn", "corp.example.org",
        "gmail.com", "example.co.uk", "sina.com.cn"};

    private final RandomGenerator r;

    Values(RandomGenerator random) {
        this.r = random;
    }

    String digits(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    /** A small number 0-3, for lengths and digits of look-alikes. */
    int pickLength() {
        return r.nextInt(4);
    }

    <T> T pick(T[] options) {
        return options[r.nextInt(options.length)];
    }

    char pick(String options) {
        return options.charAt(r.nextInt(options.length()));
    }

    String residentId() {
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(r.nextInt(365 * 84));
        String body = pick(PROVINCES) + digits(4) + birth.toString().replace("-", "") + digits(3);
        return body + idCheck(body);
    }

    /** A resident ID whose check character is wrong. */
    String residentIdWrongCheck() {
        String id = residentId();
        char right = id.charAt(17);
        char wrong;
        do {
            wrong = pick("0123456789X");
        } while (wrong == right);
        return id.substring(0, 17) + wrong;
    }

    static char idCheck(String body17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body17.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return "10X98765432".charAt(sum % 11);
    }

    String creditCode() {
        StringBuilder b = new StringBuilder("9").append(pick("123")).append(pick(PROVINCES)).append(digits(4));
        boolean letters = r.nextInt(4) > 0;
        for (int i = 0; i < 9; i++) {
            b.append(letters && i < 3 ? pick(CREDIT_ALPHABET.substring(10)) : (char) ('0' + r.nextInt(10)));
        }
        return b.append(creditCheck(b)).toString();
    }

    static char creditCheck(CharSequence body17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += CREDIT_ALPHABET.indexOf(body17.charAt(i)) * CREDIT_WEIGHTS[i];
        }
        return CREDIT_ALPHABET.charAt((31 - sum % 31) % 31);
    }

    String creditCodeWrongCheck() {
        String code = creditCode();
        char wrong;
        do {
            wrong = pick(CREDIT_ALPHABET);
        } while (wrong == code.charAt(17));
        return code.substring(0, 17) + wrong;
    }

    /** An 11-digit mobile number, in one of the ways people write it. */
    String mobile() {
        String n = "1" + (char) ('3' + r.nextInt(7)) + digits(9);
        return switch (r.nextInt(8)) {
            case 0 -> n.substring(0, 3) + " " + n.substring(3, 7) + " " + n.substring(7);
            case 1 -> n.substring(0, 3) + "-" + n.substring(3, 7) + "-" + n.substring(7);
            case 2 -> "+86 " + n;
            case 3 -> "+86-" + n.substring(0, 3) + "-" + n.substring(3, 7) + "-" + n.substring(7);
            case 4 -> "0086" + n;
            default -> n;
        };
    }

    String landline() {
        String area = switch (r.nextInt(4)) {
            case 0 -> "010";
            case 1 -> "02" + r.nextInt(10);
            default -> "0" + (3 + r.nextInt(7)) + digits(2);
        };
        int length = area.length() == 3 || r.nextBoolean() ? 8 : 7;
        String number = (char) ('2' + r.nextInt(7)) + digits(length - 1);
        return switch (r.nextInt(5)) {
            case 0 -> "(" + area + ") " + number;
            case 1 -> area + " " + number;
            case 2 -> area + "-" + number + "-" + (1 + r.nextInt(999));
            default -> area + "-" + number;
        };
    }

    /** A UnionPay card (62, 16 or 19 digits) with a valid Luhn digit, whole or in groups of four. */
    String unionPay() {
        return grouped(luhn("62" + digits(r.nextBoolean() ? 13 : 16)));
    }

    /** A card of an international scheme, valid Luhn digit. */
    String creditCard() {
        String body = switch (r.nextInt(5)) {
            case 0 -> "4" + digits(14);
            case 1 -> "5" + (1 + r.nextInt(5)) + digits(13);
            case 2 -> "3" + (r.nextBoolean() ? "4" : "7") + digits(12);
            case 3 -> "35" + (28 + r.nextInt(62)) + digits(11);
            default -> "6011" + digits(11);
        };
        return grouped(luhn(body));
    }

    private String grouped(String card) {
        if (r.nextBoolean() || card.length() % 4 != 0 && card.length() != 19) {
            return card;
        }
        String sep = r.nextBoolean() ? " " : "-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < card.length(); i += 4) {
            b.append(i > 0 ? sep : "").append(card, i, Math.min(card.length(), i + 4));
        }
        return b.toString();
    }

    static String luhn(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int v = body.charAt(body.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                v = v * 2 > 9 ? v * 2 - 9 : v * 2;
            }
            sum += v;
        }
        return body + (10 - sum % 10) % 10;
    }

    static boolean luhnValid(String digits) {
        return luhn(digits.substring(0, digits.length() - 1)).equals(digits);
    }

    String passport() {
        return switch (r.nextInt(5)) {
            case 0 -> "E" + digits(8);
            case 1 -> "E" + pick("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(7);
            case 2 -> "G" + digits(8);
            case 3 -> "K" + digits(8);
            default -> "MA" + digits(7);
        };
    }

    String plate() {
        String head = "" + pick(PLATE_PROVINCES) + pick(PLATE_LETTERS);
        String sep = r.nextInt(4) == 0 ? "·" : "";
        return head + sep + switch (r.nextInt(4)) {
            case 0 -> (r.nextBoolean() ? "D" : "F") + pick("ABCDEFGHJK0123456789") + digits(4);
            case 1 -> digits(5) + (r.nextBoolean() ? "D" : "F");
            case 2 -> pick(PLATE_LETTERS) + digits(4);
            default -> digits(5);
        };
    }

    String email() {
        return pick(NAMES) + (r.nextBoolean() ? "" : String.valueOf(r.nextInt(100))) + "@" + pick(DOMAINS);
    }

    String ip() {
        if (r.nextInt(4) == 0) {
            return switch (r.nextInt(3)) {
                case 0 -> "2001:db8::" + Integer.toHexString(r.nextInt(0xFFFF) + 1);
                case 1 -> "fe80::" + Integer.toHexString(r.nextInt(0xFFFF)) + ":" + Integer.toHexString(r.nextInt(0xFFFF) + 1);
                default -> String.join(":", java.util.stream.IntStream.range(0, 8)
                        .mapToObj(i -> Integer.toHexString(r.nextInt(0x10000))).toList());
            };
        }
        return (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    String credentialUrl() {
        String scheme = pick(new String[] {"https", "postgres", "mysql", "redis", "ftp", "mongodb"});
        return scheme + "://" + pick(new String[] {"admin", "root", "deploy", "app"}) + ":" + alnum(10)
                + "@" + pick(new String[] {"db.example.com", "10.0.0.5", "cache.internal.example.cn"})
                + (r.nextBoolean() ? ":" + (1000 + r.nextInt(9000)) : "") + "/" + pick(new String[] {"app", "prod", "data"});
    }

    String secret() {
        return switch (r.nextInt(8)) {
            case 0 -> "sk-" + (r.nextBoolean() ? "proj-" : "") + alnum(40);
            case 1 -> "AKIA" + upperDigits(16);
            case 2 -> "ghp_" + alnum(36);
            case 3 -> "xoxb-" + digits(11) + "-" + alnum(24);
            case 4 -> "AIza" + alnum(35);
            case 5 -> "eyJhbGciOiJIUzI1NiJ9.eyJ" + alnum(30) + "." + alnum(43);
            case 6 -> "-----BEGIN PRIVATE KEY-----\nMIIEv" + alnum(60) + "\n" + alnum(40) + "==\n-----END PRIVATE KEY-----";
            default -> "github_pat_" + alnum(22) + "_" + alnum(59);
        };
    }

    String alnum(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(pick(chars));
        }
        return b.toString();
    }

    private String upperDigits(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
        }
        return b.toString();
    }
}
