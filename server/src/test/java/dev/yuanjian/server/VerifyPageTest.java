package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.server.Http.Multipart;
import dev.yuanjian.testing.ExternalTools;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The /verify page in a real browser (Debian's Chromium and chromedriver): upload through the file
 * input, read the verdict in both languages, keep a screenshot for people to look at.
 */
class VerifyPageTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String ARTICLE = "# 季度报告\n\n本季度销售额增长了百分之十二，主要来自华东地区。\n";

    @TempDir
    static Path temp;
    static Http http;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        http = new Http(Files.createDirectories(temp.resolve("home")), 1 << 20);
        browser = openBrowser(temp);
    }

    /** Headless Chromium in English with its profile under {@code temp}; skips (or fails) without it. */
    static ChromeDriver openBrowser(Path temp) throws Exception {
        Path driver = ExternalTools.require("chromedriver", "chromium-driver", "/usr/bin/chromedriver");
        Path chromium = ExternalTools.require("chromium", "chromium", "/usr/bin/chromium");
        // With the driver and the browser named, Selenium Manager has nothing to do; offline makes sure.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("se.offline", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--lang=en-US", "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium")));
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1900));
        return browser;
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
    void verifiesALabelledFileAndThenAnAlteredOneInBothLanguages() throws Exception {
        HttpResponse<byte[]> response = http.post("/api/v1/label",
                new Multipart().file("file", "quarterly.md", ARTICLE).field("model", "qwen2.5-7b-instruct"));
        JsonNode labelled = Http.json(response);
        byte[] bytes = Base64.getDecoder().decode(labelled.at("/file/base64").asText());
        Path intact = Files.write(temp.resolve("quarterly.md"), bytes);

        browser.get(http.uri("/verify").toString());
        showLanguage("en");
        upload(intact);
        WebElement headline = waitForVerdict("intact");
        assertThat(headline.getText()).isEqualTo("Labelled and intact");
        assertThat(browser.findElement(By.id("verdict-summary")).getText()).contains("unchanged");
        assertThat(browser.findElement(By.id("label-fields")).getText()).contains(labelled.get("contentId").asText());

        browser.findElement(By.cssSelector("#proof > summary")).click();
        assertThat(browser.findElement(By.id("checkpoint-note")).getText()).startsWith("yuanjian.local/log");
        screenshot("verify-page-en.png");

        showLanguage("zh");
        assertThat(browser.findElement(By.id("verdict-headline")).getText()).isEqualTo("标识完整");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("核验人工智能生成标识");
        assertThat(browser.findElement(By.id("proof")).getAttribute("open")).isNotNull(); // still open after the switch
        screenshot("verify-page.png");

        String edited = new String(bytes, StandardCharsets.UTF_8).replace("百分之十二", "百分之二十");
        Path altered = Files.writeString(temp.resolve("quarterly-edited.md"), edited);
        upload(altered);
        assertThat(waitForVerdict("altered").getText()).isEqualTo("标识有效但内容已被修改");
        showLanguage("en");
        assertThat(browser.findElement(By.id("verdict-headline")).getText()).isEqualTo("Label genuine, content altered");
        screenshot("verify-page-altered.png");
    }

    @Test
    void theHomePageLabelsAFileAndOffersTheDownload() throws Exception {
        Path plain = Files.writeString(temp.resolve("poem.txt"), "床前明月光，疑是地上霜。\n");
        browser.get(http.uri("/").toString());
        showLanguage("en");
        browser.findElement(By.id("label-file")).sendKeys(plain.toAbsolutePath().toString());
        browser.findElement(By.id("label-model")).sendKeys("qwen2.5-7b-instruct");
        browser.findElement(By.id("label-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#label-result .verdict.intact")));
        WebElement result = browser.findElement(By.id("label-result"));
        assertThat(result.getText()).contains("Labelled and recorded in the log");
        // Plain text: the labelled file and its sidecar are both offered.
        assertThat(result.findElements(By.cssSelector("a[download]")))
                .extracting(link -> link.getAttribute("download"))
                .containsExactly("poem.txt", "poem.txt.aigc.json");
        screenshot("home-label.png");
    }

    private static void upload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    }

    private static WebElement waitForVerdict(String kind) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-verdict='" + kind + "'] #verdict-headline")));
    }

    private static void showLanguage(String lang) {
        showLanguage(browser, lang);
    }

    /** Clicks the language toggle until the page is in {@code lang} (the start depends on the browser's locale). */
    static void showLanguage(ChromeDriver browser, String lang) {
        String wanted = lang.equals("zh") ? "zh-CN" : "en";
        if (!wanted.equals(browser.findElement(By.tagName("html")).getAttribute("lang"))) {
            browser.findElement(By.id("lang-toggle")).click();
        }
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", wanted));
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
