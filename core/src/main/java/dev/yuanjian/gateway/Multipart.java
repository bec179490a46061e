package dev.yuanjian.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578, RFC 2046 section 5.1.1) read whole, so one field can
 * be replaced and the rest forwarded byte for byte: an audio upload whose {@code model} becomes each
 * backend's upstream model. The body was already size-limited by the caller.
 *
 * @param boundary the delimiter from the {@code Content-Type}, kept so the type header stays the same
 */
record Multipart(String boundary, List<Part> parts) {
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");
    private static final byte[] CRLF = {'\r', '\n'};
    /** More parts than any OpenAI form has (a dozen fields): a bound on work, not a rule of the format. */
    private static final int MAX_PARTS = 256;

    /**
     * One part: its header block exactly as sent (without the blank line that ends it) and its body.
     *
     * @param filename present for a file field
     */
    record Part(String name, Optional<String> filename, byte[] headers, byte[] body) {
        /** The body as text, for small fields such as {@code model}. */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Multipart {
        parts = List.copyOf(parts);
    }

    /**
     * Parses {@code body} sent with {@code contentType}.
     *
     * @throws GatewayError 400 saying what is wrong with the form and what to send instead
     */
    static Multipart parse(byte[] body, String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw GatewayError.invalid(null, "send the upload as multipart/form-data with the audio in a 'file' field "
                    + "(got " + (contentType == null ? "no Content-Type" : contentType) + ")");
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw GatewayError.invalid(null, "the multipart/form-data Content-Type has no boundary parameter");
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = 0;
        if (!startsWith(body, 0, delimiter)) {
            int first = indexOf(body, next, 0); // after a preamble
            if (first < 0) {
                throw broken("no part starts with the boundary");
            }
            at = first + 2;
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            at += delimiter.length;
            if (startsWith(body, at, new byte[] {'-', '-'})) {
                return new Multipart(boundary, parts); // the close delimiter; an epilogue is ignored
            }
            while (at < body.length && (body[at] == ' ' || body[at] == '\t')) {
                at++; // transport padding (RFC 2046)
            }
            if (!startsWith(body, at, CRLF)) {
                throw broken("a boundary line is not followed by a line break");
            }
            int headersStart = at + 2;
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart - 2);
            if (headersEnd < 0) {
                throw broken("a part's headers never end");
            }
            int end = indexOf(body, next, headersEnd + 4);
            if (end < 0) {
                throw broken("the body ends before the closing boundary");
            }
            if (parts.size() == MAX_PARTS) {
                throw broken("more than " + MAX_PARTS + " parts");
            }
            byte[] headers = java.util.Arrays.copyOfRange(body, headersStart, Math.max(headersStart, headersEnd));
            parts.add(part(headers, java.util.Arrays.copyOfRange(body, headersEnd + 4, end)));
            at = end + 2;
        }
    }

    private static Part part(byte[] headers, byte[] body) {
        String disposition = null;
        for (String line : new String(headers, StandardCharsets.UTF_8).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Disposition")) {
                disposition = line.substring(colon + 1);
            }
        }
        Matcher name = disposition == null ? null : NAME.matcher(disposition);
        if (name == null || !name.find()) {
            throw broken("a part has no Content-Disposition with a name");
        }
        Matcher filename = FILENAME.matcher(disposition);
        return new Part(name.group(1), filename.find() ? Optional.of(filename.group(1)) : Optional.empty(), headers, body);
    }

    private static GatewayError broken(String what) {
        return GatewayError.invalid(null, "the multipart/form-data body is malformed: " + what
                + "; send it as HTTP clients and the OpenAI SDKs write forms");
    }

    /** The first part named {@code name}. */
    Optional<Part> field(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * This form with every part named {@code name} carrying {@code value} instead; the other parts
     * are unchanged.
     *
     * @throws IllegalArgumentException if {@code value} contains the boundary (it could end the part)
     */
    Multipart with(String name, String value) {
        if (value.contains("--" + boundary)) {
            throw new IllegalArgumentException("a form value must not contain the boundary");
        }
        return new Multipart(boundary, parts.stream().map(p -> p.name().equals(name)
                ? new Part(p.name(), p.filename(), p.headers(), value.getBytes(StandardCharsets.UTF_8)) : p).toList());
    }

    /** The body to send, with {@link #contentType()}. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        for (Part p : parts) {
            out.writeBytes(delimiter);
            out.writeBytes(CRLF);
            out.writeBytes(p.headers());
            out.writeBytes(CRLF);
            out.writeBytes(CRLF);
            out.writeBytes(p.body());
            out.writeBytes(CRLF);
        }
        out.writeBytes(delimiter);
        out.writeBytes(new byte[] {'-', '-', '\r', '\n'});
        return out.toByteArray();
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] what, int from) {
        for (int i = Math.max(0, from); i + what.length <= body.length; i++) {
            if (body[i] == what[0] && startsWith(body, i, what)) {
                return i;
            }
        }
        return -1;
    }
}
