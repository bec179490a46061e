package dev.yuanjian.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.ledger.Tile;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.pipeline.ContentIds;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;

/**
 * The transparency log over HTTP: JSON for people and scripts under {@code /api/v1/log/}, and the
 * static C2SP tlog-tiles layout under {@code /log/} for log clients, monitors and witnesses.
 */
final class LogHandlers {
    /** Full tiles never change: any cache may keep them for good. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** A partial tile stays valid but is superseded once its tile fills; the checkpoint moves on every append. */
    static final String SHORT = "public, max-age=10";

    private final Yuanjian app;

    LogHandlers(Yuanjian app) {
        this.app = app;
    }

    /** {@code GET /api/v1/log/checkpoint}: the latest checkpoint, its signed note, and the key that checks it. */
    void checkpointJson(Context ctx) {
        TransparencyLog log = app.log();
        ObjectNode body = JsonViews.checkpoint(log.checkpoint());
        body.put("verifierKey", log.verifierKey());
        ctx.header("Cache-Control", "no-cache").json(body);
    }

    /** {@code GET /log/checkpoint}: the signed note itself, as C2SP tlog-tiles serves it. */
    void checkpointNote(Context ctx) {
        ctx.header("Cache-Control", "no-cache")
                .contentType("text/plain; charset=utf-8")
                .result(app.log().checkpoint().note());
    }

    /** {@code GET /api/v1/log/proof/{contentId}}: the entry and its inclusion in the latest checkpoint. */
    void proof(Context ctx) {
        String contentId = ctx.pathParam("contentId");
        if (!ContentIds.looksLikeId(contentId)) {
            throw new HttpResponseException(400, "'" + printable(contentId) + "' is not a content id "
                    + "(26 characters of Crockford base32, the ProduceID of a label)", Map.of("code", "bad_content_id"));
        }
        TransparencyLog log = app.log();
        TransparencyLog.LoggedEntry entry = log.findByContentId(contentId).orElseThrow(() ->
                new HttpResponseException(404, "the log has no entry for content id " + contentId,
                        Map.of("code", "unknown_content_id")));
        TransparencyLog.SignedCheckpoint checkpoint = log.checkpoint();
        ctx.json(JsonViews.logged(entry, log.inclusionProof(entry.index(), checkpoint.size()), checkpoint));
    }

    /** {@code GET /api/v1/log/consistency?from=N[&to=M]}: the tree of size N is a prefix of the one of size M. */
    void consistency(Context ctx) {
        long latest = app.log().checkpoint().size();
        long from = size(ctx, "from", -1);
        long to = size(ctx, "to", latest);
        if (from < 1 || from > to || to > latest) {
            throw new HttpResponseException(400, "need 1 <= from <= to <= " + latest + " (the latest checkpoint size); got from="
                    + from + ", to=" + to, Map.of("code", "bad_parameter"));
        }
        ctx.json(JsonViews.consistency(app.log().consistencyProof(from, to)));
    }

    /** {@code GET /log/tile/<path>}: a hash tile or an entry bundle, bytes as the log stores them. */
    void tile(Context ctx) {
        String path = "tile/" + ctx.pathParam("path");
        Tile tile;
        try {
            tile = Tile.parse(path);
        } catch (IllegalArgumentException e) {
            throw new HttpResponseException(404, "no such tile path: /log/" + printable(path)
                    + " (C2SP tlog-tiles: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>])", Map.of("code", "not_found"));
        }
        byte[] bytes = app.log().tile(tile.level(), tile.n(), tile.width()).orElseThrow(() ->
                new HttpResponseException(404, "the log is too small for /log/" + path, Map.of("code", "not_found")));
        ctx.header("Cache-Control", tile.isPartial() ? SHORT : IMMUTABLE)
                .contentType("application/octet-stream")
                .result(bytes);
    }

    /** {@code GET /healthz}: answers 200 only when the database answers. */
    void health(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        long size;
        try {
            size = app.log().size();
        } catch (RuntimeException e) {
            throw new HttpResponseException(503, "the log's database does not answer: " + e.getMessage(),
                    Map.of("code", "unavailable"));
        }
        ObjectNode body = JsonViews.mapper().createObjectNode();
        body.put("ok", true);
        body.put("logSize", size);
        body.put("database", app.database().isPostgres() ? "postgresql" : "h2");
        body.put("origin", app.log().origin());
        ctx.json(body);
    }

    private static long size(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            if (fallback < 0) {
                throw new HttpResponseException(400, "missing query parameter '" + name + "'", Map.of("code", "bad_parameter"));
            }
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new HttpResponseException(400, name + " must be a whole number, got '" + printable(value) + "'",
                    Map.of("code", "bad_parameter"));
        }
    }

    /** Echoes user input in messages without control characters or unbounded length. */
    static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
