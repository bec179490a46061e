package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.Router;
import dev.yuanjian.model.UpstreamClient;
import dev.yuanjian.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Image generations over OpenAI image backends and Stable Diffusion WebUI {@code txt2img}. Each
 * image's exact bytes are logged and its sealed label returned beside it; the marks inside the file
 * (metadata label, C2PA, watermark) come with the image codecs. A backend is sent the
 * {@code response_format} its model takes ({@link Backend#imageFormat}); images it answers as URLs
 * are fetched ({@link ImageFetcher}) so the client always gets the marked bytes, as {@code b64_json}
 * or, when it asked for {@code url}, a {@code data:} URL.
 */
final class Images {
    private final ModelConfig config;
    private final Router router;
    private final UpstreamClient client;
    private final Outputs outputs;
    private final ImageFetcher fetcher;
    private final ObjectMapper json;

    Images(ModelConfig config, Router router, UpstreamClient client, Outputs outputs, ObjectMapper json) {
        this.config = config;
        this.router = router;
        this.client = client;
        this.outputs = outputs;
        this.fetcher = new ImageFetcher(client, config.imageFetch());
        this.json = json;
    }

    /** An image generation: each image's exact bytes are logged, and a label returned beside each. */
    Outcome generate(ImageRequest request) {
        List<Backend> imageBackends = config.backends();
        if (imageBackends.isEmpty()) {
            return Failures.noBackend();
        }
        String model = request.model();
        if (model.isEmpty()) {
            model = imageBackends.stream().filter(b -> b.kind() == Backend.Kind.SD_WEBUI).findFirst()
                    .or(() -> imageBackends.stream().filter(b -> b.serves(Backend.Endpoint.IMAGES)).findFirst())
                    .orElse(imageBackends.getFirst()).publicName();
        }
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        Routed<JsonNode> routed = router.route(model, b -> b.serves(Backend.Endpoint.IMAGES), deadline, backend -> {
            java.time.Duration left = java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Attempt<JsonNode> a;
            if (backend.kind() == Backend.Kind.SD_WEBUI) {
                ObjectNode sd = json.createObjectNode();
                sd.put("prompt", request.prompt());
                sd.put("width", request.width());
                sd.put("height", request.height());
                sd.put("batch_size", request.n());
                sd.put("n_iter", 1);
                JsonNode steps = body.get("steps");
                if (steps != null && steps.canConvertToInt()) {
                    sd.put("steps", steps.asInt());
                }
                JsonNode negative = body.get("negative_prompt");
                if (negative != null && negative.isTextual()) {
                    sd.put("negative_prompt", negative.asText());
                }
                a = client.postJson(backend, "/sdapi/v1/txt2img", bytes(sd), left);
                if (a instanceof Attempt.Answered<JsonNode> ok) {
                    a = fromWebUi(backend, ok.value());
                }
            } else {
                ObjectNode forward = body.deepCopy();
                forward.put("model", backend.upstreamModel());
                // Only what this model accepts: gpt-image models refuse response_format altogether.
                forward.remove("response_format");
                switch (backend.imageFormat()) {
                    case B64_JSON -> forward.put("response_format", "b64_json");
                    case URL -> forward.put("response_format", "url");
                    case NONE -> { }
                }
                a = client.postJson(backend, "/images/generations", bytes(forward), left);
                if (a instanceof Attempt.Answered<JsonNode> ok) {
                    a = inlined(backend, ok.value(), deadline);
                }
            }
            return a;
        });
        String publicName = model;
        return switch (routed) {
            case Routed.Served<JsonNode> served -> {
                try {
                    yield imagesCompleted(request, publicName, (ObjectNode) served.value(), served.backend());
                } finally {
                    served.release(true);
                }
            }
            default -> new Outcome.Failed(Failures.of(json, routed));
        };
    }

    private Attempt<JsonNode> fromWebUi(Backend backend, JsonNode answer) {
        JsonNode images = answer.path("images");
        if (!images.isArray() || images.isEmpty()) {
            return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                    backend.id() + " (SD WebUI) answered without 'images'", new byte[0]);
        }
        ObjectNode out = json.createObjectNode();
        out.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = out.putArray("data");
        for (JsonNode image : images) {
            String b64 = image.asText();
            int comma = b64.indexOf(',');
            if (b64.startsWith("data:") && comma > 0) {
                b64 = b64.substring(comma + 1);
            }
            data.addObject().put("b64_json", b64);
        }
        return allBase64(out) ? new Attempt.Answered<>(out) : Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE,
                200, Optional.empty(), backend.id() + " (SD WebUI) answered with images that are not base64", new byte[0]);
    }

    /**
     * The answer with every image as {@code b64_json}: base64 kept, each {@code url} fetched by
     * {@link ImageFetcher} (its limits and address rules) and replaced by its bytes, so that what is
     * marked, logged and returned is the image itself.
     */
    private Attempt<JsonNode> inlined(Backend backend, JsonNode answer, long deadline) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.isEmpty()) {
            return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                    backend.id() + " answered without images in 'data'", new byte[0]);
        }
        for (JsonNode d : data) {
            if (d.isObject() && !d.path("b64_json").isTextual() && d.path("url").isTextual()) {
                Attempt<byte[]> fetched = fetcher.fetch(d.path("url").asText(), backend, deadline);
                if (fetched instanceof Attempt.Failed<byte[]> f) {
                    return f.retype();
                }
                byte[] image = ((Attempt.Answered<byte[]>) fetched).value();
                if (imageType(image).equals("application/octet-stream")) {
                    return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                            backend.id() + "'s image URL gave something that is not a PNG, JPEG or WebP image", new byte[0]);
                }
                ((ObjectNode) d).remove("url");
                ((ObjectNode) d).put("b64_json", Base64.getEncoder().encodeToString(image));
            }
        }
        return allBase64(answer) ? new Attempt.Answered<>(answer) : Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE,
                200, Optional.empty(), backend.id() + " answered with images that are neither base64 nor a URL",
                new byte[0]);
    }

    private static boolean allBase64(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.isEmpty()) {
            return false;
        }
        for (JsonNode d : data) {
            if (!d.path("b64_json").isTextual()) {
                return false;
            }
            try {
                Base64.getMimeDecoder().decode(d.path("b64_json").asText());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private Outcome imagesCompleted(ImageRequest request, String model, ObjectNode answer, Backend backend) {
        List<Pipeline.Result> ids = new ArrayList<>();
        String header = "";
        int n = 0;
        for (JsonNode d : answer.path("data")) {
            ObjectNode item = (ObjectNode) d;
            byte[] bytes = Base64.getMimeDecoder().decode(item.path("b64_json").asText());
            String mediaType = imageType(bytes);
            Pipeline.Result result = outputs.image("image-" + n++ + extension(mediaType), bytes, mediaType,
                    request.omit(config.explicitText()), model, request.prompt());
            ObjectNode aigc = JsonViews.aigc(result);
            // Which marks the file carries (none for a format no container marks): what the request's options did.
            aigc.set("marks", json.valueToTree(result.marks()));
            // The bytes returned are the labelled bytes (PNG, JPEG, WebP: the label is in the file; other
            // formats: exactly the bytes logged), re-encoded without line breaks.
            String b64 = Base64.getEncoder().encodeToString(result.labelled().bytes());
            if (request.asUrl()) {
                item.remove("b64_json");
                item.put("url", "data:" + mediaType + ";base64," + b64);
            } else {
                item.put("b64_json", b64);
            }
            item.set("aigc", aigc);
            if (ids.isEmpty()) {
                header = result.label().toBareJson();
                answer.set("aigc", aigc.deepCopy());
            }
            ids.add(result);
        }
        return new Outcome.Completed(answer, header, List.copyOf(ids), backend.id(), 0);
    }

    static String imageType(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return "image/jpeg";
        }
        if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
            return "image/webp";
        }
        return "application/octet-stream";
    }

    private static String extension(String mediaType) {
        return switch (mediaType) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            default -> ".bin";
        };
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
