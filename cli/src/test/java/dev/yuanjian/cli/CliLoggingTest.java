package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The logging the command line ships with (cli's simplelogger.properties): PDFBox and FontBox, which
 * warn about every standard font drawn with a fallback and every damaged object they skip, speak
 * only for errors; the product's own messages still get through.
 */
class CliLoggingTest {
    @Test
    void pdfLibrariesSpeakOnlyForErrors() {
        for (String library : new String[] {"org.apache.pdfbox.pdmodel.font.PDType1Font",
                "org.apache.pdfbox.pdfparser.COSParser", "org.apache.fontbox.ttf.TTFParser"}) {
            var logger = LoggerFactory.getLogger(library);
            assertThat(logger.isWarnEnabled()).as(library + " WARN").isFalse();
            assertThat(logger.isInfoEnabled()).as(library + " INFO").isFalse();
            assertThat(logger.isErrorEnabled()).as(library + " ERROR").isTrue();
        }
        var own = LoggerFactory.getLogger("dev.yuanjian.server.ErrorWriter");
        assertThat(own.isErrorEnabled()).isTrue();
        assertThat(own.isWarnEnabled()).isTrue();
    }
}
