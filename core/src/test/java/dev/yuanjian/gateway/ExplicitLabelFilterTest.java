package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.label.ExplicitLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The visible label's placement decided from an answer's first characters: every way of cutting an
 * answer into stream pieces gives the text the whole answer gives, so streams and whole answers agree.
 */
class ExplicitLabelFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EN = ExplicitLabel.DEFAULT.english();

    private static ChatRequest request() {
        return ChatRequest.of(JSON.createObjectNode().put("model", "m").set("messages",
                JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", "Say something"))),
                Optional.of(true));
    }

    private static String run(ExplicitLabelFilter filter, List<String> pieces) {
        ResponseFilter.AnswerFilter chain = filter.open(request());
        StringBuilder out = new StringBuilder();
        pieces.forEach(p -> out.append(chain.text(p)));
        return out.append(chain.end()).toString();
    }

    /** {@code text} cut in two at every position, and in single characters. */
    private static List<List<String>> cuts(String text) {
        List<List<String>> all = new ArrayList<>();
        all.add(List.of(text));
        for (int i = 0; i <= text.length(); i++) {
            all.add(List.of(text.substring(0, i), text.substring(i)));
        }
        all.add(text.chars().mapToObj(c -> String.valueOf((char) c)).toList());
        return all;
    }

    @ParameterizedTest
    @EnumSource(ExplicitLabel.Position.class)
    void everyCutOfAnAnswerIsLabelledAsTheWholeAnswerIs(ExplicitLabel.Position position) {
        ExplicitLabelFilter filter = new ExplicitLabelFilter(new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), EN, position), true);
        boolean start = position == ExplicitLabel.Position.START;
        List<String> json = List.of("{\"a\": 1}", "\n [1, 2]\n", "```json\n{\"a\": [1]}\n```", "```\n[]\n```");
        List<String> prose = List.of("Hello there.", "  Hello", "`code` in a sentence", "``two ticks``");
        List<String> jsonLikeButNot = List.of("[a link](x) and text", "{not: json}", "```python\nprint(1)\n```", "{\"a\": 1} trailing");
        for (String text : json) {
            for (List<String> cut : cuts(text)) {
                assertThat(run(filter, cut)).as("%s as %s", text, cut).isEqualTo(text);
            }
        }
        for (String text : prose) {
            String expected = start ? EN + "\n\n" + text.stripLeading() : text + "\n\n" + EN;
            if (start && !text.equals(text.stripLeading())) {
                expected = EN + "\n\n" + text; // leading white space is held and released after the label
            }
            for (List<String> cut : cuts(text)) {
                assertThat(run(filter, cut)).as("%s as %s", text, cut).isEqualTo(expected);
            }
        }
        for (String text : jsonLikeButNot) {
            for (List<String> cut : cuts(text)) {
                assertThat(run(filter, cut)).as("%s as %s", text, cut).isEqualTo(text + "\n\n" + EN);
            }
        }
        for (String blank : List.of("", "   ", "\n")) {
            assertThat(run(filter, List.of(blank))).as("'%s'", blank).isEqualTo(blank);
        }
        assertThat(run(filter, List.of("``"))).isEqualTo(start ? EN + "\n\n``" : "``\n\n" + EN);
    }
}
