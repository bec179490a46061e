package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HttpResponseException;
import org.junit.jupiter.api.Test;

class UploadsTest {

    @Test
    void keepsOnlyTheLastPathElement() {
        assertThat(Uploads.safeName("../../etc/passwd.md")).isEqualTo("passwd.md");
        assertThat(Uploads.safeName("C:\\Users\\me\\报告.docx")).isEqualTo("报告.docx");
        assertThat(Uploads.safeName("/abs/path/ x.md ")).isEqualTo("x.md");
        assertThat(Uploads.safeName("..hidden.md")).isEqualTo("..hidden.md");
    }

    @Test
    void refusesNamesThatAreNoNames() {
        for (String name : new String[] {null, "", "   ", "a/", "..", "dir/..", "a\u0000b.md", "a\nb.md", "a\u0085b.md",
                "x".repeat(256)}) {
            assertThatThrownBy(() -> Uploads.safeName(name)).as(String.valueOf(name))
                    .isInstanceOf(HttpResponseException.class)
                    .satisfies(e -> assertThat(((HttpResponseException) e).getStatus()).isEqualTo(400));
        }
    }
}
