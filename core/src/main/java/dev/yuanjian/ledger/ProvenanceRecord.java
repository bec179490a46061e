package dev.yuanjian.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One log entry: who produced which content, when, with which model. Never the content, never
 * the prompt, never personal data: the content appears as its SHA-256 (the codec's protected
 * digest) and the prompt as a keyed digest that only the operator can recompute.
 *
 * <p>{@link #canonicalJson()} is the exact byte string that is hashed into the Merkle tree: keys in
 * lexicographic order, no white space, ASCII only, time as RFC 3339 UTC with milliseconds. Since
 * every field is a constrained string, this is also the RFC 8785 (JCS) form.
 */
public record ProvenanceRecord(String contentId, String mediaType, String sha256, String producer,
                               String model, Instant time, String promptDigest) {

    /** Buffers from a pool shared across threads: the gateway writes this on a new virtual thread per call. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SAFE = Pattern.compile("[\\x21-\\x7e]{0,256}");
    private static final DateTimeFormatter RFC3339_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    public ProvenanceRecord {
        require(contentId, SAFE, "contentId");
        require(mediaType, SAFE, "mediaType");
        require(sha256, HEX64, "sha256 (64 lowercase hex digits)");
        require(producer, SAFE, "producer");
        require(model, SAFE, "model");
        if (!promptDigest.isEmpty()) {
            require(promptDigest, HEX64, "promptDigest (64 lowercase hex digits or empty)");
        }
        time = time.truncatedTo(ChronoUnit.MILLIS);
        if (contentId.isEmpty()) {
            throw new IllegalArgumentException("contentId must not be empty");
        }
    }

    private static void require(String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }

    public static ProvenanceRecord of(String contentId, String mediaType, byte[] sha256, String producer,
                                      String model, Instant time, String promptDigest) {
        return new ProvenanceRecord(contentId, mediaType, HexFormat.of().formatHex(sha256), producer, model, time,
                promptDigest);
    }

    /** The canonical bytes hashed into the log (see the class comment). */
    public byte[] canonicalJson() {
        // Keys written in lexicographic order by hand: the order is part of the log format.
        ObjectNode node = JSON.createObjectNode();
        node.put("contentId", contentId);
        node.put("mediaType", mediaType);
        node.put("model", model);
        node.put("producer", producer);
        node.put("promptDigest", promptDigest);
        node.put("sha256", sha256);
        node.put("time", RFC3339_MILLIS.format(time));
        node.put("v", 1);
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.US_ASCII);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@link #canonicalJson()} output; rejects anything that would not re-encode to the same bytes. */
    public static ProvenanceRecord parse(byte[] canonical) throws IOException {
        JsonNode node = JSON.readTree(canonical);
        if (node == null || !node.isObject() || node.path("v").asInt() != 1) {
            throw new IOException("not a version 1 provenance record");
        }
        ProvenanceRecord record;
        try {
            record = new ProvenanceRecord(node.path("contentId").asText(), node.path("mediaType").asText(),
                    node.path("sha256").asText(), node.path("producer").asText(), node.path("model").asText(),
                    Instant.parse(node.path("time").asText()), node.path("promptDigest").asText());
        } catch (RuntimeException e) {
            throw new IOException("invalid provenance record: " + e.getMessage(), e);
        }
        if (!java.util.Arrays.equals(record.canonicalJson(), canonical)) {
            throw new IOException("provenance record is not in canonical form");
        }
        return record;
    }

    public byte[] sha256Bytes() {
        return HexFormat.of().parseHex(sha256);
    }
}
