package dev.yuanjian.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.container.FormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The implicit (metadata) label of GB 45438-2025 Annex E: seven string fields, stored under a key
 * named {@code AIGC}. {@code label} is "1" (AI-generated), "2" (possibly) or "3" (suspected).
 *
 * <p>Field values should be printable ASCII without spaces, as the standard's guides ask; labels
 * written here always are. Labels of other producers are read even when they are not (non-ASCII
 * values, field names in another case, {@code ReserveCode1} for {@code ReservedCode1}), and
 * {@link #parseLenient} reports each such departure, so verify can show a non-conformity rather
 * than fail. Control characters are never accepted.
 */
public record AigcLabel(String label, String contentProducer, String produceId, String reservedCode1,
                        String contentPropagator, String propagateId, String reservedCode2) {

    /** The JSON field names, in the order the standard lists them. */
    public static final List<String> FIELDS = List.of("Label", "ContentProducer", "ProduceID",
            "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2");

    /** Buffers from a pool shared across threads: the gateway writes this on a new virtual thread per call. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool())
            // A key twice is two labels pasted into one value, or a field set twice: never pick one silently.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    public AigcLabel {
        List<String> values = java.util.Arrays.asList(label, contentProducer, produceId, reservedCode1,
                contentPropagator, propagateId, reservedCode2);
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                throw new IllegalArgumentException(FIELDS.get(i) + " is missing");
            }
            for (int c = 0; c < value.length(); c++) {
                if (Character.isISOControl(value.charAt(c))) {
                    throw new IllegalArgumentException(FIELDS.get(i) + " holds a control character "
                            + String.format("U+%04X", (int) value.charAt(c)) + " at position " + c);
                }
            }
        }
        if (!label.equals("1") && !label.equals("2") && !label.equals("3")) {
            throw new IllegalArgumentException("Label must be \"1\", \"2\" or \"3\", got \"" + label + "\"");
        }
    }

    /**
     * Values that break the standard's rule of printable ASCII without spaces, one message per
     * field. Labels this service writes never have any; other producers' labels are read anyway
     * and the report shows these as non-conformities.
     */
    public List<String> nonAsciiFields() {
        List<String> out = List.of();
        String[] values = {label, contentProducer, produceId, reservedCode1, contentPropagator, propagateId, reservedCode2};
        for (int i = 0; i < values.length; i++) {
            if (!printableAscii(values[i])) {
                out = out.isEmpty() ? new java.util.ArrayList<>() : out;
                out.add(FIELDS.get(i));
            }
        }
        return out;
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch <= 0x20 || ch >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** True when the producer part (ContentProducer, ProduceID) is filled in. */
    public boolean hasProducer() {
        return !contentProducer.isEmpty() || !produceId.isEmpty();
    }

    /** True when a propagator (platform) has added its part. */
    public boolean hasPropagator() {
        return !contentPropagator.isEmpty() || !propagateId.isEmpty() || !reservedCode2.isEmpty();
    }

    /** This label with the propagator's three fields replaced; the producer's fields untouched. */
    public AigcLabel withPropagator(String propagator, String propagateIdValue, String reservedCode2Value) {
        return new AigcLabel(label, contentProducer, produceId, reservedCode1, propagator, propagateIdValue,
                reservedCode2Value);
    }

    public AigcLabel withReservedCode2(String value) {
        return new AigcLabel(label, contentProducer, produceId, reservedCode1, contentPropagator, propagateId, value);
    }

    public AigcLabel withReservedCode1(String value) {
        return new AigcLabel(label, contentProducer, produceId, value, contentPropagator, propagateId, reservedCode2);
    }

    /** The bare seven-field object, fields in standard order, no spaces: {@code {"Label":"1",...}}. */
    public String toBareJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("Label", label);
        node.put("ContentProducer", contentProducer);
        node.put("ProduceID", produceId);
        node.put("ReservedCode1", reservedCode1);
        node.put("ContentPropagator", contentPropagator);
        node.put("PropagateID", propagateId);
        node.put("ReservedCode2", reservedCode2);
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
     * A label as read from a file, with the ways its spelling departs from Annex E.
     *
     * @param nonConformities one English sentence per departure (a field name in another case, a
     *                        misspelt name, a value that is not a string, a non-ASCII value)
     */
    public record Parsed(AigcLabel label, List<String> nonConformities) {
    }

    /**
     * Parses the value stored under an {@code AIGC} key: the wrapped form {@code {"AIGC":{...}}} or
     * the bare seven-field object. Missing optional fields read as empty strings; {@code Label} is
     * required. Field names must be spelt as Annex E spells them.
     *
     * @param where names the place the value came from, for the error message (e.g. "docProps/custom.xml")
     * @throws FormatException when the value is not such JSON
     */
    public static AigcLabel parse(String value, String where) throws FormatException {
        Parsed parsed = parseLenient(value, where);
        if (!parsed.nonConformities().isEmpty()) {
            throw new FormatException("the AIGC label in " + where + ": " + parsed.nonConformities().getFirst());
        }
        return parsed.label();
    }

    /**
     * Parses as {@link #parse} does, and also accepts what real tools write: the wrapper key and
     * field names in any case, {@code ReserveCode1}/{@code ReserveCode2} (a common misspelling),
     * numbers where strings belong, and JSON objects as integrity data (kept as their compact JSON).
     *
     * @throws FormatException when the value is not a JSON object with a {@code Label}, or a field
     *                         appears twice under different spellings
     */
    public static Parsed parseLenient(String value, String where) throws FormatException {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message.startsWith("Duplicate field")) {
                String field = message.replaceAll("(?s)^Duplicate field '([^']*)'.*", "$1");
                throw new FormatException(where + " holds " + (canonicalName(field).equals("aigc")
                        ? "two labels" : "the field " + field + " twice") + "; keep one", e);
            }
            throw new FormatException("the AIGC label in " + where + " is not valid JSON (" + message + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException("the AIGC label in " + where + " must be a JSON object");
        }
        List<String> notes = new java.util.ArrayList<>();
        JsonNode fields = root;
        String wrapper = findName(root, "AIGC");
        if (wrapper != null && !root.has("Label")) {
            if (!wrapper.equals("AIGC")) {
                notes.add("the wrapper key is spelt \"" + wrapper + "\" instead of \"AIGC\"");
            }
            fields = root.get(wrapper);
        }
        if (fields.isTextual()) {
            Parsed inner = parseLenient(fields.asText(), where);
            notes.add(0, "the label is a JSON string inside the AIGC key instead of an object");
            notes.addAll(inner.nonConformities());
            return new Parsed(inner.label(), List.copyOf(notes));
        }
        if (!fields.isObject()) {
            throw new FormatException("the AIGC label in " + where + " must hold an object of seven fields");
        }
        Map<String, List<String>> byCanonical = namesByCanonical(fields);
        String[] values = new String[FIELDS.size()];
        for (int i = 0; i < values.length; i++) {
            String standard = FIELDS.get(i);
            List<String> spellings = byCanonical.getOrDefault(CANONICAL_FIELDS.get(i), List.of());
            if (spellings.size() > 1) {
                throw new FormatException("the AIGC label in " + where + " holds " + standard + " twice (as "
                        + String.join(" and ", spellings) + "); keep one");
            }
            if (spellings.isEmpty()) {
                if (i == 0) {
                    throw new FormatException("the AIGC label in " + where + " has no Label field");
                }
                values[i] = "";
                continue;
            }
            String name = spellings.getFirst();
            if (!name.equals(standard)) {
                notes.add("the field " + standard + " is spelt \"" + name + "\"");
            }
            JsonNode field = fields.get(name);
            if (field.isNull()) {
                values[i] = "";
            } else if (field.isTextual()) {
                values[i] = field.asText();
            } else {
                notes.add("the field " + standard + " holds " + field.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                        + " JSON, not a string");
                values[i] = field.isValueNode() ? field.asText() : field.toString();
            }
        }
        AigcLabel label;
        try {
            label = new AigcLabel(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
        } catch (IllegalArgumentException e) {
            throw new FormatException("the AIGC label in " + where + ": " + e.getMessage(), e);
        }
        for (String field : label.nonAsciiFields()) {
            notes.add("the field " + field + " is not printable ASCII without spaces");
        }
        return new Parsed(label, List.copyOf(notes));
    }

    private static final List<String> CANONICAL_FIELDS = FIELDS.stream().map(AigcLabel::canonicalName).toList();

    /**
     * The member names of {@code node} grouped by the field they spell: exactly, in another case, or
     * misspelt. Names spelt exactly as Annex E spells them (the usual case) cost no string work.
     */
    private static Map<String, List<String>> namesByCanonical(JsonNode node) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            int exact = FIELDS.indexOf(name);
            String canonical = exact >= 0 ? CANONICAL_FIELDS.get(exact) : canonicalName(name);
            out.computeIfAbsent(canonical, k -> new java.util.ArrayList<>(1)).add(name);
        }
        return out;
    }

    private static String findName(JsonNode node, String standard) {
        if (node.has(standard)) {
            return standard;
        }
        List<String> names = namesByCanonical(node).get(canonicalName(standard));
        return names == null ? null : names.getFirst();
    }

    /** Lower case, "reserve" read as "reserved", separators dropped: the spelling variants seen in real files. */
    private static String canonicalName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
        return lower.startsWith("reservecode") ? "reserved" + lower.substring("reserve".length()) : lower;
    }
}
