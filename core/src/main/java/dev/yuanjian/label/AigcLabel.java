package dev.yuanjian.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The implicit (metadata) label of GB 45438-2025 Annex E: seven string fields, stored under a key
 * named {@code AIGC}. {@code label} is "1" (AI-generated), "2" (possibly) or "3" (suspected).
 *
 * <p>Field values are printable ASCII without spaces, as the standard's guides ask; {@link #parse}
 * rejects anything else so that a stored label can always be written back unchanged.
 */
public record AigcLabel(String label, String contentProducer, String produceId, String reservedCode1,
                        String contentPropagator, String propagateId, String reservedCode2) {

    /** The JSON field names, in the order the standard lists them. */
    public static final List<String> FIELDS = List.of("Label", "ContentProducer", "ProduceID",
            "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2");

    /** Buffers from a pool shared across threads: the gateway writes this on a new virtual thread per call. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());

    public AigcLabel {
        List<String> values = java.util.Arrays.asList(label, contentProducer, produceId, reservedCode1,
                contentPropagator, propagateId, reservedCode2);
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                throw new IllegalArgumentException(FIELDS.get(i) + " is missing");
            }
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if (ch <= 0x20 || ch >= 0x7f) {
                    throw new IllegalArgumentException(FIELDS.get(i) + " must be printable ASCII without spaces, "
                            + "found " + String.format("U+%04X", (int) ch) + " at position " + c);
                }
            }
        }
        if (!label.equals("1") && !label.equals("2") && !label.equals("3")) {
            throw new IllegalArgumentException("Label must be \"1\", \"2\" or \"3\", got \"" + label + "\"");
        }
    }

    public AigcLabel withReservedCode1(String value) {
        return new AigcLabel(label, contentProducer, produceId, value, contentPropagator, propagateId, reservedCode2);
    }

    /** The bare seven-field object, fields in standard order, no spaces: {@code {"Label":"1",...}}. */
    public String toBareJson() {
        ObjectNode node = JSON.createObjectNode();
        Map<String, String> map = asMap();
        map.forEach(node::put);
        return write(node);
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The wrapped form the standard shows: {@code {"AIGC":{"Label":"1",...}}}. */
    public String toWrappedJson() {
        return "{\"AIGC\":" + toBareJson() + "}";
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("Label", label);
        map.put("ContentProducer", contentProducer);
        map.put("ProduceID", produceId);
        map.put("ReservedCode1", reservedCode1);
        map.put("ContentPropagator", contentPropagator);
        map.put("PropagateID", propagateId);
        map.put("ReservedCode2", reservedCode2);
        return map;
    }

    /**
     * Parses the value stored under an {@code AIGC} key: the wrapped form {@code {"AIGC":{...}}} or
     * the bare seven-field object. Missing optional fields read as empty strings; {@code Label} is
     * required.
     *
     * @param where names the place the value came from, for the error message (e.g. "docProps/custom.xml")
     * @throws LabelFormatException when the value is not such JSON
     */
    public static AigcLabel parse(String value, String where) throws LabelFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new LabelFormatException("the AIGC label in " + where + " is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new LabelFormatException("the AIGC label in " + where + " must be a JSON object");
        }
        JsonNode fields = root.has("AIGC") ? root.get("AIGC") : root;
        if (fields.isTextual()) {
            return parse(fields.asText(), where);
        }
        if (!fields.isObject()) {
            throw new LabelFormatException("the AIGC label in " + where + " must hold an object of seven fields");
        }
        if (!fields.has("Label")) {
            throw new LabelFormatException("the AIGC label in " + where + " has no Label field");
        }
        String[] values = new String[FIELDS.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode field = fields.get(FIELDS.get(i));
            if (field != null && !field.isValueNode()) {
                throw new LabelFormatException("the AIGC label in " + where + ": " + FIELDS.get(i) + " must be a string");
            }
            values[i] = field == null || field.isNull() ? "" : field.asText();
        }
        try {
            return new AigcLabel(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
        } catch (IllegalArgumentException e) {
            throw new LabelFormatException("the AIGC label in " + where + ": " + e.getMessage(), e);
        }
    }
}
