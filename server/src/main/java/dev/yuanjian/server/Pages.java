package dev.yuanjian.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The web pages: static HTML from {@code web/} on the classpath; their scripts call the JSON API. */
final class Pages {
    private final byte[] index = load("web/index.html");
    private final byte[] verify = load("web/verify.html");

    /** {@code GET /}: what the service is, a link to verify, and a small form to label a file. */
    void index(Context ctx) {
        html(ctx, index);
    }

    /** {@code GET /verify}: drop a file, read the report in Chinese or English. */
    void verify(Context ctx) {
        html(ctx, verify);
    }

    private static void html(Context ctx, byte[] page) {
        ctx.header("Cache-Control", "no-cache").contentType("text/html; charset=utf-8").result(page);
    }

    private static byte[] load(String resource) {
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " in the server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
