package dev.yuanjian.server;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reading multipart uploads safely: size limits before and while reading, and file names that are
 * only ever data.
 */
final class Uploads {
    /** A sidecar holds one label of a few hundred bytes; anything near this is not a sidecar. */
    static final int MAX_SIDECAR_BYTES = 64 << 10;
    /** Room for the multipart framing and the small form fields beside the files. */
    private static final int FORM_OVERHEAD_BYTES = 64 << 10;
    private static final int MAX_NAME_LENGTH = 255;

    /** One uploaded file: its display name (no directories) and its bytes. */
    record Upload(String name, byte[] bytes) {
    }

    private final long maxFileBytes;

    Uploads(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
    }

    /** The largest request body accepted: one file at the limit, a sidecar and the form around them. */
    static long maxRequestBytes(long maxFileBytes) {
        return maxFileBytes + MAX_SIDECAR_BYTES + FORM_OVERHEAD_BYTES;
    }

    /**
     * Before-matched handler for uploads (after the access check): refuses a body over the limit before a byte of it is read, so a
     * huge upload costs the server nothing. The declared length is required because only it can be
     * checked up front: a chunked body would be refused halfway, when the client is still sending
     * and would likely see a reset connection instead of the 413. Browsers, curl and every common
     * client send the length with multipart forms.
     */
    void checkLength(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0) {
            // Read the chunked body (up to the limit) before refusing it: closing with bytes still in
            // flight lets the peer's TCP reset overtake our answer, and the client would see none.
            boolean drained = drain(ctx, maxRequestBytes(maxFileBytes));
            if (drained) {
                ErrorWriter.bodyConsumed(ctx);
            }
            throw new HttpResponseException(411, "send the upload with a Content-Length header "
                    + "(chunked uploads are not accepted)", Map.of("code", "length_required"));
        }
        if (declared > maxRequestBytes(maxFileBytes)) {
            throw tooLarge();
        }
    }

    private static boolean drain(Context ctx, long limit) {
        byte[] buffer = new byte[8192];
        long total = 0;
        try (var in = ctx.req().getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > limit) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The file in form part {@code part}; 400 when it is missing. */
    Upload required(Context ctx, String part) {
        Upload upload = optional(ctx, part, maxFileBytes);
        if (upload == null) {
            throw new HttpResponseException(400, "the request has no file part named '" + part
                    + "' (send multipart/form-data with the file in a part named '" + part + "')",
                    Map.of("code", "missing_file"));
        }
        return upload;
    }

    /** The sidecar label file in form part {@code part}, or null. */
    Upload sidecar(Context ctx, String part) {
        return optional(ctx, part, MAX_SIDECAR_BYTES);
    }

    private Upload optional(Context ctx, String part, long limit) {
        requireMultipart(ctx);
        UploadedFile file;
        try {
            file = ctx.uploadedFile(part);
        } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
            throw multipartFailure(e);
        }
        if (file == null) {
            return null;
        }
        if (file.size() > limit) {
            throw tooLarge();
        }
        String name = safeName(file.filename());
        try (InputStream in = file.content()) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw tooLarge();
            }
            return new Upload(name, bytes);
        } catch (IOException e) {
            throw new HttpResponseException(400, "the upload could not be read: " + e.getMessage(),
                    Map.of("code", "bad_upload"));
        }
    }

    /** A text form field, or {@code fallback} when absent or blank. */
    String field(Context ctx, String name, String fallback) {
        String value;
        try {
            value = ctx.formParam(name);
        } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
            throw multipartFailure(e);
        }
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static void requireMultipart(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new HttpResponseException(400, "send the file as multipart/form-data (got "
                    + (type == null ? "no Content-Type" : type) + ")", Map.of("code", "not_multipart"));
        }
    }

    /**
     * Jetty reports a body over the multipart limits, or a malformed one (bad framing, control
     * characters in a part's headers), as "400: bad multipart"; only the cause chain tells which.
     */
    private HttpResponseException multipartFailure(Exception e) {
        Optional<HttpResponseException> stalled = SlowClients.tooSlow(e);
        if (stalled.isPresent()) {
            return stalled.get();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof HttpResponseException known) {
                return known;
            }
            if (message.contains("exceed")) { // "max file size exceeded", "max length exceeded"
                return tooLarge();
            }
        }
        return new HttpResponseException(400, "the multipart body could not be parsed",
                Map.of("code", "bad_upload"));
    }

    private HttpResponseException tooLarge() {
        String limit = maxFileBytes % (1 << 20) == 0 ? (maxFileBytes >> 20) + " MiB" : (maxFileBytes >> 10) + " KiB";
        return new HttpResponseException(413, "the upload is larger than this server accepts (" + limit
                + " per file; server.maxUploadMb)", Map.of("code", "too_large"));
    }

    /**
     * The name to show and to detect the format by: the last path element of what the client sent
     * (browsers may send {@code C:\dir\x.md}; attackers {@code ../../x}), never a path. Control
     * characters, an empty name and dot-only names are refused.
     */
    static String safeName(String submitted) {
        String name = submitted == null ? "" : submitted;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1).strip();
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                throw new HttpResponseException(400, "the file name contains a control character",
                        Map.of("code", "invalid_file_name"));
            }
        }
        if (name.isEmpty() || name.chars().allMatch(ch -> ch == '.')) {
            throw new HttpResponseException(400, "the upload has no usable file name (the name decides the format)",
                    Map.of("code", "invalid_file_name"));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new HttpResponseException(400, "the file name is longer than " + MAX_NAME_LENGTH + " characters",
                    Map.of("code", "invalid_file_name"));
        }
        return name;
    }
}
