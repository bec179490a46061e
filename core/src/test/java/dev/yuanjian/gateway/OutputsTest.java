package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The logged form of a chat message: its text when it is text alone, else its canonical JSON. */
class OutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String logged(String message) throws Exception {
        return Outputs.loggedForm(JSON.readTree(message));
    }

    @Test
    void aTextAnswerWithOpenAisEmptyMembersIsLoggedAsItsText() throws Exception {
        assertThat(logged("{\"role\":\"assistant\",\"content\":\"Hi.\",\"refusal\":null,\"annotations\":[],"
                + "\"reasoning_content\":\"\",\"audio\":null}")).isEqualTo("Hi.");
        assertThat(logged("{\"role\":\"assistant\",\"content\":null}")).isEmpty();
    }

    @Test
    void anythingBesidesTextMakesTheCanonicalMessageWithoutItsEmptyMembers() throws Exception {
        assertThat(logged("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":\"No.\",\"annotations\":[]}"))
                .isEqualTo("{\"refusal\":\"No.\",\"role\":\"assistant\"}");
        assertThat(logged("{\"role\":\"assistant\",\"content\":\"4\",\"reasoning\":\"2+2\"}"))
                .isEqualTo("{\"content\":\"4\",\"reasoning\":\"2+2\",\"role\":\"assistant\"}");
        assertThat(logged("{\"role\":\"assistant\",\"content\":null,\"audio\":{\"transcript\":\"Hi\",\"id\":\"a\"}}"))
                .isEqualTo("{\"audio\":{\"id\":\"a\",\"transcript\":\"Hi\"},\"role\":\"assistant\"}");
    }
}
