package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.server.Http.Multipart;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The /verify page with images, in headless Chromium: the thumbnail comes from the user's own file
 * (an object URL the page's CSP admits), the C2PA Content Credentials are shown in words, and file
 * names and metadata values written to attack the page are shown as text, never run.
 */
class VerifyImagePageTest {
    /** A file name and metadata value that would run script if the page ever wrote them as HTML. */
    private static final String HOSTILE = "<img src=x onerror=window.pwned=1>";

    @TempDir
    static Path temp;
    static Http http;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        http = new Http(Files.createDirectories(temp.resolve("home")), 4 << 20);
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

    private static byte[] photo(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(0x2a6f97));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xf4a261));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Labels {@code bytes} as {@code name} through the API; the labelled file. */
    private static byte[] labelled(String name, byte[] bytes) throws Exception {
        JsonNode answer = Http.json(http.post("/api/v1/label", new Multipart().file("file", name, bytes)
                .field("model", "wanx-test")));
        return Base64.getDecoder().decode(answer.at("/file/base64").asText());
    }

    private static WebElement verify(Path file, String verdict) {
        browser.get(http.uri("/verify").toString());
        VerifyPageTest.showLanguage(browser, "en");
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-verdict='" + verdict + "'] #verdict-headline")));
    }

    /** Kept beside VerifyPageTest's, for people to look at. */
    private static void screenshot(String name) throws Exception {
        Files.createDirectories(VerifyPageTest.SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), VerifyPageTest.SCREENSHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void assertNothingRan() {
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#result img[src='x']"))).isEmpty();
    }

    @Test
    void anImageShowsItsThumbnailFromTheUsersOwnFileAndItsCredentialsEvenWithAHostileName() throws Exception {
        String name = HOSTILE + ".png";
        Path file = Files.write(temp.resolve(name), labelled(name, photo(480, 320)));

        verify(file, "intact");
        WebElement thumbnail = browser.findElement(By.cssSelector("#thumbnail img"));
        assertThat(thumbnail.getAttribute("src")).startsWith("blob:");
        assertThat(thumbnail.getAttribute("alt")).endsWith(name);
        // Decoded by the browser (a CSP refusal or a broken URL would leave it 0 wide).
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> ((Number) browser.executeScript(
                "return document.querySelector('#thumbnail img').naturalWidth")).intValue() == 480);

        WebElement credentials = browser.findElement(By.id("credentials"));
        assertThat(credentials.getAttribute("data-state")).isIn("trusted", "untrusted");
        assertThat(credentials.getText()).contains("C2PA Content Credentials").contains("Yuanjian")
                .contains("Content hash (c2pa.hash.data)\nmatch").contains("Signature\nvalid")
                .contains("Title\n" + name); // the manifest's title is the file name: shown as text
        assertThat(browser.findElement(By.id("result")).getText()).contains("File\n" + name);
        assertNothingRan();
        screenshot("verify-page-image.png");

        // A second file replaces the first's thumbnail; a text file has none.
        Path text = Files.writeString(temp.resolve("note.md"), "# Note\n\nNo label here.\n");
        browser.findElement(By.id("file")).sendKeys(text.toAbsolutePath().toString());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-verdict='unlabelled'] #verdict-headline")));
        assertThat(browser.findElements(By.id("thumbnail"))).isEmpty();
        assertThat(browser.findElements(By.id("credentials"))).isEmpty();
    }

    /** A labelled photo whose metadata was stripped and which was shrunk: traced by its watermark, in words. */
    @Test
    void aStrippedCopyIsShownAsTracedByItsWatermark() throws Exception {
        byte[] marked = labelled("photo.png", SyntheticPhotoBytes.png(800, 600));
        BufferedImage pixels = ImageIO.read(new java.io.ByteArrayInputStream(marked));
        Path copy = temp.resolve("stripped.jpg");
        ImageIO.write(dev.yuanjian.watermark.SyntheticPhotos.resize(pixels, 0.7), "jpeg", copy.toFile());
        WebElement headline = verify(copy, "traced");
        assertThat(headline.getText()).contains("watermark").doesNotContain("verdict.");
        assertThat(browser.findElement(By.cssSelector("[data-verdict='traced'] .icon")).getText()).isNotEqualTo("?");
        assertThat(browser.findElement(By.id("result")).getText()).contains("invisible watermark present");
    }

    @Test
    void hostileLabelValuesInTheMetadataAreShownAsText() throws Exception {
        byte[] bytes = labelled("photo.png", photo(200, 120));
        PngContainer png = new PngContainer();
        Asset asset = Asset.of("photo.png", bytes);
        ObjectMapper json = new ObjectMapper();
        JsonNode label = json.readTree(png.metadata(asset, ImplicitLabelMark.AIGC).orElseThrow());
        ObjectNode fields = (ObjectNode) (label.has("AIGC") ? label.get("AIGC") : label);
        fields.put("ContentProducer", HOSTILE);
        fields.put("ContentPropagator", "</dd><script>window.pwned=2</script>");
        Path file = Files.write(temp.resolve("photo.png"),
                png.withMetadata(asset, ImplicitLabelMark.AIGC, json.writeValueAsString(label)).bytes());

        WebElement headline = verify(file, "forged");
        assertThat(headline.isDisplayed()).isTrue();
        String shown = browser.findElement(By.id("label-fields")).getText();
        assertThat(shown).contains(HOSTILE).contains("</dd><script>window.pwned=2</script>");
        assertThat(browser.findElements(By.cssSelector("#result script"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#thumbnail img")).getAttribute("src")).startsWith("blob:");
        assertNothingRan();
    }
}
