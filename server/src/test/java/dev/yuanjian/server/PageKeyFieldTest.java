package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.ApiKeys;
import dev.yuanjian.keys.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7: "The web page's label form stops working once the first key exists (401, no field for a
 * key)." In a real browser, on a server with keys and private verification: without a key the
 * pages say what is missing, with one typed into the form they work, and the key stays in the tab's
 * sessionStorage only.
 */
class PageKeyFieldTest {
    @TempDir
    static Path temp;
    static Http http;
    static ChromeDriver browser;
    static String generateKey;
    static String verifyKey;

    @BeforeAll
    static void start() throws Exception {
        Settings base = Settings.defaults().withPort(0);
        http = new Http(Files.createDirectories(temp.resolve("home")), new Settings(base.producerCode(), base.logOrigin(),
                base.explicit(), "127.0.0.1", 0, 1 << 20, "", false));
        ApiKeys keys = new ApiKeys(http.app.database().dataSource(), Clock.systemUTC());
        generateKey = keys.create("page-writer", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
        verifyKey = keys.create("page-auditor", Set.of(Scope.VERIFY), ApiKey.Limits.NONE).secret();
        browser = VerifyPageTest.openBrowser(temp);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void theLabelFormSendsTheTypedKeyAndKeepsItInThisTabOnly() throws Exception {
        Path poem = Files.writeString(temp.resolve("poem.md"), "# 静夜思\n\n床前明月光，疑是地上霜。\n");
        browser.get(http.uri("/").toString());
        VerifyPageTest.showLanguage(browser, "en");

        browser.findElement(By.id("label-file")).sendKeys(poem.toAbsolutePath().toString());
        browser.findElement(By.id("label-submit")).click();
        WebElement refused = waitFor("#label-result .verdict.error");
        assertThat(refused.getText()).contains("Enter an API key above");

        browser.findElement(By.id("label-key")).sendKeys(generateKey);
        browser.findElement(By.id("label-submit")).click();
        assertThat(waitFor("#label-result .verdict.intact").getText()).contains("Labelled and recorded in the log");

        assertThat(browser.executeScript("return sessionStorage.getItem('yj-api-key')")).isEqualTo(generateKey);
        assertThat(browser.executeScript("return JSON.stringify(localStorage)").toString()).doesNotContain(generateKey);
        assertThat(browser.executeScript("return document.cookie").toString()).doesNotContain(generateKey);

        // A reload in the same tab keeps it; the server stored nothing for the page (no cookie was set).
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("label-key")).getAttribute("value")).isEqualTo(generateKey);
        assertThat(browser.manage().getCookies()).isEmpty();
    }

    @Test
    void theVerifyPageSendsTheTypedKeyWhenVerifyingIsPrivate() throws Exception {
        Path plain = Files.writeString(temp.resolve("plain.md"), "# Hello\n\nWritten by a person.\n");
        browser.get(http.uri("/verify").toString());
        VerifyPageTest.showLanguage(browser, "en");
        browser.executeScript("sessionStorage.clear()");
        browser.findElement(By.id("verify-key")).clear();

        browser.findElement(By.id("file")).sendKeys(plain.toAbsolutePath().toString());
        assertThat(waitFor("[data-verdict='error'] #verdict-headline").findElement(By.xpath("..")).getText())
                .contains("Enter an API key above");

        browser.findElement(By.id("verify-key")).sendKeys(verifyKey);
        Path again = Files.writeString(temp.resolve("plain-again.md"), "# Hello again\n\nWritten by a person.\n");
        browser.findElement(By.id("file")).sendKeys(again.toAbsolutePath().toString());
        assertThat(waitFor("[data-verdict='unlabelled'] #verdict-headline").getText()).isNotBlank();
    }

    private static WebElement waitFor(String css) {
        return new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }
}
