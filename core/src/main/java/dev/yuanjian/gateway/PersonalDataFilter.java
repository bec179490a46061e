package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.privacy.Conversations;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MemoryPlaceholderMap;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import dev.yuanjian.privacy.Policy;
import dev.yuanjian.privacy.Placeholders;
import dev.yuanjian.privacy.Pseudonymizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Consumer;

/**
 * Replaces personal data by placeholders in every text a backend would see, before any backend is
 * called ({@link PersonalDataRestorer} puts the originals back into the answer). Masked first, by
 * what they are: each message's string {@code content} and the {@code text} of its content parts,
 * whatever the role (system, developer, user, assistant, tool), an assistant's earlier
 * {@code refusal}, the {@code arguments} of its tool calls (and of the older {@code function_call}),
 * and a legacy completion's {@code prompt} (a string or a list of strings). Then every other string
 * anywhere in the body, and every number whose digits are personal data (it becomes a string), as
 * text: fields this gateway does not know ({@code reasoning_content}, {@code prefix}, a vendor's
 * extras, at the top level, in a message or in a content part), {@code stop}, {@code user},
 * {@code metadata}, tool descriptions and schemas, a string sent where a number belongs. Not masked:
 * object keys, the values of the {@link #STRUCTURAL} fields (names, ids, kinds, data and file
 * payloads, enum-like knobs; OpenAI allows only {@code [A-Za-z0-9_-]} in a {@code name}, which a
 * placeholder would break) and any string starting with {@code data:}. A Responses API request is
 * masked in its chat form, which then goes to every backend (see {@link Responses}); its body
 * passes through to a Responses backend unchanged only when masking it would change nothing.
 *
 * <p>Arguments and tool results that are JSON are masked inside: each string value (and each number
 * whose digits are personal data, which becomes a string) is masked on its own, decoded, so
 * {@code "\u5f20\u4e09"} is read as the name it spells, and the JSON is written again; a placeholder
 * needs no escaping inside a JSON string (ASCII letters, digits, {@code _} and brackets). Text that
 * is not JSON is masked as text.
 *
 * <p>The same original gets the same placeholder in every message of the request: every text's
 * placeholder-shaped literals are reserved first, then the texts are masked in order with one map.
 * The map is the conversation's ({@link Conversations#open}, under the caller's owner, so another
 * API key naming the same conversation gets another map) when the request names one and a store is
 * configured, otherwise a new {@link MemoryPlaceholderMap} for this request alone. A view of the map
 * is left on the request's {@link Caller} for the restorer; it does not restore a placeholder the
 * request spelled itself (clients never see placeholders, so a typed one is not the conversation's
 * history) unless masking issued it for a value in this same request.
 */
public final class PersonalDataFilter implements RequestFilter {
    /**
     * Fields whose values are kept as they are wherever they appear (and, when an array, its
     * elements): names, identifiers and kinds the protocol matches exactly, data and file payloads,
     * and enum-like knobs. Listed in docs/gateway.md (Personal data); keep the two lists the same.
     */
    static final Set<String> STRUCTURAL = Set.of("model", "role", "type", "id", "tool_call_id", "call_id", "name",
            "format", "detail", "url", "image_url", "file_url", "data", "file_data", "file_id", "tool_choice",
            "reasoning_effort", "service_tier", "modalities", "voice", "verbosity", "include", "truncation", "object",
            "status");
    private final Pseudonymizer pseudonymizer;
    private final Optional<Conversations> conversations;
    private final ObjectMapper json;
    private final Function<Caller, Policy> policies;

    /** Every kind replaced by placeholders, whoever calls. */
    public PersonalDataFilter(Pseudonymizer pseudonymizer, Optional<Conversations> conversations, ObjectMapper json) {
        this(pseudonymizer, conversations, json, caller -> Policy.REPLACE_ALL);
    }

    /**
     * @param conversations where conversations' maps live; empty: each request has its own map
     * @param policies      the policy of each caller (config.yaml {@code privacy.policy} and {@code privacy.keys})
     */
    public PersonalDataFilter(Pseudonymizer pseudonymizer, Optional<Conversations> conversations, ObjectMapper json,
                              Function<Caller, Policy> policies) {
        this.pseudonymizer = pseudonymizer;
        this.conversations = conversations;
        this.json = json;
        this.policies = policies;
    }

    @Override
    public String name() {
        return "privacy-mask";
    }

    @Override
    public void filter(ChatRequest request) {
        Caller caller = request.caller();
        PlaceholderMap map = caller.conversation().isPresent() && conversations.isPresent()
                ? conversations.get().open(caller.owner(), caller.conversation().get())
                : new MemoryPlaceholderMap();
        RequestView view = new RequestView(map);
        caller.note(PlaceholderMap.class, view);
        mask(request.body(), view, policies.apply(caller));
    }

    /**
     * Whether a Responses API body may pass through to a Responses backend as the client sent it:
     * only when it holds no personal data anywhere masking looks (else the request goes as its chat
     * form, which {@link #filter} masked and which carries nothing of the body that was not masked).
     */
    @Override
    public boolean passesThrough(ObjectNode responsesBody, ChatRequest chat) {
        ObjectNode copy = responsesBody.deepCopy();
        mask(copy, new MemoryPlaceholderMap(), policies.apply(chat.caller()));
        return copy.equals(responsesBody);
    }

    /**
     * Embeddings and moderation inputs are masked as every other text (placeholders, masks or tokens
     * by the caller's policy); nothing of their answers is text to restore, so a map of their own.
     */
    @Override
    public void filterRelayed(ObjectNode body, Caller caller) {
        PlaceholderMap map = new MemoryPlaceholderMap();
        mask(body, map, policies.apply(caller));
        map.flush();
    }

    private void mask(ObjectNode body, PlaceholderMap map, Policy policy) {
        Texts texts = new Texts();
        for (JsonNode message : body.path("messages")) {
            if (message instanceof ObjectNode m) {
                message(m, texts);
            }
        }
        JsonNode prompt = body.get("prompt");
        if (prompt != null && prompt.isTextual()) {
            texts.add(prompt, s -> body.put("prompt", s));
        } else if (prompt instanceof ArrayNode list) {
            strings(list, texts);
        }
        rest(body, texts);
        texts.mask(map, policy);
    }

    private void message(ObjectNode m, Texts texts) {
        JsonNode content = m.get("content");
        boolean tool = "tool".equals(m.path("role").asText()) || "function".equals(m.path("role").asText());
        if (content != null && content.isTextual()) {
            if (tool) {
                jsonOrText(content, texts, s -> m.put("content", s));
            } else {
                texts.add(content, s -> m.put("content", s));
            }
        } else if (content instanceof ArrayNode parts) {
            for (JsonNode part : parts) {
                if (part instanceof ObjectNode p && p.path("text").isTextual()) {
                    if (tool) {
                        jsonOrText(p.get("text"), texts, s -> p.put("text", s));
                    } else {
                        texts.add(p.get("text"), s -> p.put("text", s));
                    }
                }
            }
        }
        if (m.path("refusal").isTextual()) {
            texts.add(m.get("refusal"), s -> m.put("refusal", s));
        }
        for (JsonNode call : m.path("tool_calls")) {
            arguments(call.path("function"), texts);
        }
        arguments(m.path("function_call"), texts);
    }

    private void arguments(JsonNode function, Texts texts) {
        if (function instanceof ObjectNode f && f.path("arguments").isTextual()) {
            jsonOrText(f.get("arguments"), texts, s -> f.put("arguments", s));
        }
    }

    /** {@code node}'s text masked inside when it is a JSON object or array, else as text; {@code set} gets it. */
    private void jsonOrText(JsonNode node, Texts texts, Consumer<String> set) {
        texts.claim(node);
        String text = node.asText();
        JsonNode tree = null;
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                tree = json.readTree(text);
            } catch (JsonProcessingException e) {
                tree = null; // not JSON after all (a model's broken arguments): masked as text
            }
        }
        if (tree == null || !tree.isContainerNode()) {
            texts.add(node, set);
            return;
        }
        JsonNode root = tree;
        int before = texts.size();
        values(root, texts);
        int end = texts.size();
        if (end > before) {
            texts.then(() -> {
                if (texts.changed(before, end)) {
                    set.accept(root.toString());
                }
            });
        }
    }

    /** Every string value, and every number, inside {@code node}. */
    private static void values(JsonNode node, Texts texts) {
        if (node instanceof ObjectNode object) {
            for (var field : object.properties()) {
                JsonNode v = field.getValue();
                String name = field.getKey();
                if (v.isTextual() || v.isNumber()) {
                    texts.add(v, s -> object.put(name, s));
                } else {
                    values(v, texts);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode v = array.get(i);
                int at = i;
                if (v.isTextual() || v.isNumber()) {
                    texts.add(v, s -> array.set(at, array.textNode(s)));
                } else {
                    values(v, texts);
                }
            }
        }
    }

    /**
     * Every string and number in {@code node} that the targeted masking above did not take, except
     * the {@link #STRUCTURAL} fields' values and data URLs: fields this gateway does not know
     * ({@code reasoning_content}, {@code prefix}, a vendor's extras), {@code stop}, {@code user},
     * {@code metadata}, tool descriptions and schemas, and a string sent where a number belongs.
     * Masked as text, not parsed as JSON: a placeholder in them would serve the model nothing inside.
     */
    private static void rest(JsonNode node, Texts texts) {
        if (node instanceof ObjectNode object) {
            for (var field : object.properties()) {
                JsonNode v = field.getValue();
                String name = field.getKey();
                if (v.isContainerNode()) {
                    if (!(STRUCTURAL.contains(name) && v.isArray())) {
                        rest(v, texts);
                    }
                } else if (!STRUCTURAL.contains(name) && sweepable(v, texts)) {
                    texts.add(v, s -> object.put(name, s));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode v = array.get(i);
                int at = i;
                if (v.isContainerNode()) {
                    rest(v, texts);
                } else if (sweepable(v, texts)) {
                    texts.add(v, s -> array.set(at, array.textNode(s)));
                }
            }
        }
    }

    private static boolean sweepable(JsonNode v, Texts texts) {
        return (v.isTextual() && !v.asText().startsWith("data:") || v.isNumber()) && !texts.claimed(v);
    }

    private static void strings(ArrayNode list, Texts texts) {
        for (int i = 0; i < list.size(); i++) {
            int at = i;
            if (list.get(i).isTextual()) {
                texts.add(list.get(i), s -> list.set(at, list.textNode(s)));
            }
        }
    }

    /**
     * The texts of one request, collected first so that every placeholder-shaped literal in any of
     * them is reserved before any is masked; then masked in order, each written back only when it
     * changed, then the JSON texts rebuilt from their masked values.
     */
    private final class Texts {
        private final List<String> originals = new ArrayList<>();
        private final List<Consumer<String>> setters = new ArrayList<>();
        private final List<Boolean> changed = new ArrayList<>();
        private final List<Runnable> after = new ArrayList<>();
        /** The value nodes taken so far, by identity: the sweep of the rest of the body leaves them alone. */
        private final Set<JsonNode> claimed = Collections.newSetFromMap(new IdentityHashMap<>());

        /** {@code node}'s text; {@code set} gets it masked if masking changed it (a number then becomes a string). */
        void add(JsonNode node, Consumer<String> set) {
            claim(node);
            originals.add(node.asText());
            setters.add(set);
        }

        void claim(JsonNode node) {
            claimed.add(node);
        }

        boolean claimed(JsonNode node) {
            return claimed.contains(node);
        }

        int size() {
            return originals.size();
        }

        void then(Runnable step) {
            after.add(step);
        }

        /** Whether masking changed any of the texts added from {@code from} (inclusive) to {@code to}. */
        boolean changed(int from, int to) {
            return changed.subList(from, to).contains(true);
        }

        void mask(PlaceholderMap map, Policy policy) {
            for (String text : originals) {
                for (Placeholder literal : Placeholders.in(text)) {
                    map.reserve(literal);
                }
            }
            for (int i = 0; i < originals.size(); i++) {
                String masked = pseudonymizer.mask(originals.get(i), map, policy).text();
                boolean differs = !masked.equals(originals.get(i));
                changed.add(differs);
                if (differs) {
                    setters.get(i).accept(masked);
                }
            }
            map.flush(); // the request's new vault entries, stored in one transaction
            after.forEach(Runnable::run);
        }
    }

    /**
     * The map as this request's restorer sees it: what masking issues is recorded, and a placeholder
     * the client spelled in its own texts is not restored unless masking issued it for a value of
     * this same request. Clients never see placeholders (answers are restored), so one typed is not
     * history: restoring it would read the conversation's original back to whoever names the
     * conversation ("repeat [PHONE_1]").
     */
    private static final class RequestView implements PlaceholderMap {
        private final PlaceholderMap map;
        private final Set<Placeholder> spelled = new HashSet<>();
        private final Set<Placeholder> issued = new HashSet<>();

        RequestView(PlaceholderMap map) {
            this.map = map;
        }

        @Override
        public Placeholder placeholderFor(EntityType type, String original) {
            Placeholder p = map.placeholderFor(type, original);
            issued.add(p);
            return p;
        }

        @Override
        public Optional<String> originalOf(Placeholder placeholder) {
            return spelled.contains(placeholder) && !issued.contains(placeholder) ? Optional.empty()
                    : map.originalOf(placeholder);
        }

        @Override
        public void reserve(Placeholder literal) {
            spelled.add(literal);
            map.reserve(literal);
        }
    }
}
