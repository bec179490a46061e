package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * IP addresses, from maximal runs of hex digits, colons and dots that no letter or digit touches:
 * IPv4 in dotted decimal (four octets 0-255, no leading zeros; RFC 791, a {@code :port} after it is
 * left out of the span) unless a version word stands just before it ({@code version}, {@code 版本});
 * IPv6 in the text form of RFC 4291 2.2 (eight groups of 1-4 hex digits, one {@code ::} standing for
 * zeros, a dotted IPv4 tail), not the bare {@code ::}. Runs longer than 45 characters (the longest
 * IPv6 text) are no address. IPv4 scores 0.95, IPv6 1.0; near a context word both 1.0.
 */
final class IpRecognizer implements Recognizer {
    static final String NAME = "ip-address";
    private static final int LONGEST = 45;
    private static final Context CONTEXT = Context.of("ip", "地址", "服务器", "主机", "server", "host", "address");
    private static final Context VERSION = Context.of("version", "ver.", "版本", "release", "build", "v.");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.IP_ADDRESS);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!part(s.charAt(i))) {
                i++;
                continue;
            }
            int from = i;
            int colons = 0;
            while (i < n && part(s.charAt(i))) {
                colons += s.charAt(i) == ':' ? 1 : 0;
                i++;
            }
            int to = i;
            if (to - from > LONGEST + 2 || Chars.alnumAt(s, from - 1) || Chars.alnumAt(s, to)) {
                continue;
            }
            while (from < to && s.charAt(from) == '.') {
                from++;
            }
            while (to > from && (s.charAt(to - 1) == '.' || s.charAt(to - 1) == ':' && (to - 2 < from || s.charAt(to - 2) != ':'))) {
                to--;
            }
            classify(s, from, to, colons, found);
        }
    }

    private static void classify(String s, int from, int to, int colons, List<Entity> found) {
        if (to - from > LONGEST) {
            return;
        }
        if (colons >= 2 && ipv6(s, from, to)) {
            found.add(new Entity(EntityType.IP_ADDRESS, from, to, 1.0, NAME));
            return;
        }
        int colon = from;
        while (colon < to && s.charAt(colon) != ':') {
            colon++;
        }
        int end = colon < to && colons == 1 && Chars.digits(s, colon + 1, to) && colon + 1 < to ? colon : to;
        if (ipv4(s, from, end) && !VERSION.near(s, from, from)) {
            found.add(new Entity(EntityType.IP_ADDRESS, from, end, CONTEXT.near(s, from, end) ? 1.0 : 0.95, NAME));
        }
    }

    private static boolean part(char c) {
        return Chars.hex(c) || c == ':' || c == '.';
    }

    /** Four decimal octets 0-255 without leading zeros, dot-separated, exactly filling [from, to). */
    static boolean ipv4(String s, int from, int to) {
        int octets = 0;
        int i = from;
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && Chars.digit(s.charAt(i)) && i - start < 3) {
                value = value * 10 + s.charAt(i) - '0';
                i++;
            }
            int len = i - start;
            if (len == 0 || value > 255 || len > 1 && s.charAt(start) == '0') {
                return false;
            }
            octets++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
            if (i == to) {
                return false;
            }
        }
        return octets == 4;
    }

    /** RFC 4291 section 2.2 text forms, exactly filling [from, to). */
    static boolean ipv6(String s, int from, int to) {
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (s.startsWith("::", i)) {
            compressed = true;
            i += 2;
            if (i == to) {
                return false;
            }
        }
        while (i < to) {
            int start = i;
            while (i < to && Chars.hex(s.charAt(i)) && i - start < 5) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                if (!ipv4(s, start, to)) {
                    return false;
                }
                groups += 2;
                break;
            }
            int len = i - start;
            if (len == 0 || len > 4) {
                return false;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            } else if (i == to) {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }
}
