package dev.yuanjian.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.verify.Report;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/label}, {@code POST /api/v1/propagate} and {@code POST /api/v1/verify}:
 * documents in, labelled files and reports out.
 */
final class DocumentHandlers {
    private final Yuanjian app;
    private final Uploads uploads;
    private final DocumentWork work;

    DocumentHandlers(Yuanjian app, Uploads uploads, DocumentWork work) {
        this.app = app;
        this.work = work;
        this.uploads = uploads;
    }

    /**
     * Labels the uploaded file and logs it; the form fields {@code explicit=false}, {@code c2pa=false} and
     * {@code watermark=false} leave out the visible label, C2PA Content Credentials and the invisible watermark (the metadata label always stays). Answers JSON (the labelled view plus the file, and the
     * sidecar for plain text, in base64) unless the client asks for the file itself with
     * {@code ?download=1} or an {@code Accept} naming the file's media type.
     */
    void label(Context ctx) throws FormatException {
        Uploads.Upload file = uploads.required(ctx, "file");
        Set<String> omit = new HashSet<>();
        if (!flag(uploads.field(ctx, "explicit", "true"), "explicit")) {
            omit.add(ExplicitLabelMark.NAME);
        }
        if (!flag(uploads.field(ctx, "c2pa", "true"), "c2pa")) {
            omit.add(C2paMark.NAME);
        }
        if (!flag(uploads.field(ctx, "watermark", "true"), "watermark")) {
            omit.add(dev.yuanjian.watermark.WatermarkMark.NAME);
        }
        String model = uploads.field(ctx, "model", "unspecified");
        Optional<String> prompt = Optional.ofNullable(uploads.field(ctx, "prompt", null));
        Asset asset = Asset.of(file.name(), file.bytes());

        Pipeline.Result result = work.run(ctx, () -> app.pipeline().label(new Pipeline.Request(asset, omit, model, prompt)));
        answer(ctx, result);
    }

    /**
     * Adds this service as the propagator to the uploaded file's label (multipart: {@code file},
     * optional {@code sidecar} for plain text, optional {@code level} 2 or 3 for an unlabelled file)
     * and logs the event. Answers as {@link #label} does.
     */
    void propagate(Context ctx) throws FormatException {
        Uploads.Upload file = uploads.required(ctx, "file");
        Uploads.Upload sidecar = uploads.sidecar(ctx, "sidecar");
        Optional<String> level = Optional.ofNullable(uploads.field(ctx, "level", null));
        if (level.isPresent() && !level.get().equals("2") && !level.get().equals("3")) {
            throw new HttpResponseException(400, "level must be 2 (possibly) or 3 (suspected AI-generated), got '"
                    + level.get() + "'", Map.of("code", "bad_parameter"));
        }
        Asset asset = new Asset(file.name(), file.bytes(), sidecar == null ? Optional.empty() : Optional.of(sidecar.bytes()));
        answer(ctx, work.run(ctx, () -> app.pipeline().propagate(asset, level)));
    }

    private void answer(Context ctx, Pipeline.Result result) {
        Asset labelled = result.labelled();
        // 201: the request created a log entry, and Location names its proof.
        ctx.status(201).header("Location", "/api/v1/log/proof/" + result.contentId());
        ctx.header("X-Content-Id", result.contentId());
        ctx.header("X-Log-Index", Long.toString(result.logIndex()));
        if (wantsFile(ctx, result.mediaType())) {
            ctx.header("Content-Disposition", attachment(labelled.name()));
            ctx.header("X-AIGC-Label", result.label().toWrappedJson());
            labelled.sidecar().ifPresent(sidecar -> {
                // The response body can carry one file; the text's label travels in a header.
                ctx.header("X-AIGC-Sidecar-Name", asciiOnly(labelled.sidecarName()));
                ctx.header("X-AIGC-Sidecar", Base64.getEncoder().encodeToString(sidecar));
            });
            ctx.contentType(result.mediaType()).result(labelled.bytes());
            return;
        }
        ObjectNode body = JsonViews.labelled(result, null);
        body.set("file", attachmentJson(labelled.name(), result.mediaType(), labelled.bytes()));
        labelled.sidecar().ifPresent(sidecar ->
                body.set("sidecar", attachmentJson(labelled.sidecarName(), "application/json", sidecar)));
        ctx.json(body);
    }

    /** Verifies the uploaded file (and, for plain text, its sidecar); the verdict is data, so always 200. */
    void verify(Context ctx) throws FormatException {
        Uploads.Upload file = uploads.required(ctx, "file");
        Uploads.Upload sidecar = uploads.sidecar(ctx, "sidecar");
        Asset asset = new Asset(file.name(), file.bytes(),
                sidecar == null ? Optional.empty() : Optional.of(sidecar.bytes()));
        Report report = work.run(ctx, () -> app.verifier().verify(asset));
        ctx.json(JsonViews.report(report));
    }

    private static boolean wantsFile(Context ctx, String mediaType) {
        String download = ctx.queryParam("download");
        if (download != null) {
            return flag(download, "download");
        }
        String accept = ctx.header("Accept");
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (type.equals(mediaType) || type.equals("application/octet-stream")) {
                return true;
            }
        }
        return false;
    }

    private static boolean flag(String value, String name) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new HttpResponseException(400, name + " must be true or false, got '" + value + "'",
                    Map.of("code", "bad_parameter"));
        };
    }

    private static ObjectNode attachmentJson(String name, String mediaType, byte[] bytes) {
        ObjectNode node = JsonViews.mapper().createObjectNode();
        node.put("name", name);
        node.put("mediaType", mediaType);
        node.put("size", bytes.length);
        node.put("base64", Base64.getEncoder().encodeToString(bytes));
        return node;
    }

    /** RFC 6266: an ASCII fallback plus the exact UTF-8 name (Chinese file names are common). */
    static String attachment(String name) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + asciiOnly(name).replace("\"", "_") + "\"; filename*=UTF-8''" + encoded;
    }

    private static String asciiOnly(String name) {
        StringBuilder out = new StringBuilder();
        for (char ch : name.toCharArray()) {
            out.append(ch >= 0x20 && ch < 0x7f ? ch : '_');
        }
        return out.toString();
    }
}
