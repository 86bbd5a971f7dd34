package dev.mesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in a real browser (Debian's Chromium, headless, driven by Selenium): a member signs in with the identity
 * provider, searches as she types, runs a product and follows it live to its end, opens its page and sees its quality
 * chart and lineage drawn as SVG; a consumer asks for access, the producer's owner approves, the consumer's product
 * runs; hostile markup stays text and no page breaks the Content-Security-Policy. Screenshots of the catalog, a
 * product page and a live run are written to {@code target/portal-screenshots} on every run, with the product page's
 * weight and time to first render.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "portal-screenshots");

    private PortalFixture fixture;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (System.getenv("MESH_REQUIRE_BROWSER") != null) {
            assertThat(installed).as("MESH_REQUIRE_BROWSER is set (as .ci/run sets it): install Debian's chromium "
                    + "and chromium-driver").isTrue();
        }
        Assumptions.assumeTrue(installed, "Debian's chromium and chromium-driver are not installed (apt-get install "
                + "chromium chromium-driver; .ci/run does)");
        Files.createDirectories(SHOTS);
        fixture = new PortalFixture();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    private void open(String path) {
        browser.get(fixture.base() + path);
    }

    private void signInWithTheIdentityProvider(String email) {
        browser.manage().deleteAllCookies();
        fixture.issuer.signInAs(email, List.of());
        open("/portal/sign-in");
        browser.findElement(By.id("sign-in-oidc")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/portal"));
        assertThat(browser.findElement(By.cssSelector(".who span")).getText()).isEqualTo(email);
    }

    private void signInWithToken(String token) {
        browser.manage().deleteAllCookies();
        open("/portal/sign-in");
        browser.findElement(By.id("token-field")).sendKeys(token);
        browser.findElement(By.cssSelector("form[action='/portal/sign-in'] button")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/portal"));
    }

    /** The whole page, not only the window: the window grows to the page's height for the shot. */
    private void screenshot(String name) throws IOException {
        Dimension window = browser.manage().window().getSize();
        long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 140, 6000)));
        try {
            Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    private Object script(String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    /**
     * Types a search and waits for the answer to exactly that text: on a slow machine a pause between two keys sends
     * an earlier prefix first, and its results would be replaced under the test's feet.
     */
    private void searchFor(String text) {
        WebElement search = browser.findElement(By.id("q"));
        search.clear();
        search.sendKeys(text);
        wait.until(d -> text.equals(script("return new URLSearchParams(location.search).get('q')")));
    }

    /** Runs the product from its page and follows the live run page to its end; returns the final state text. */
    private String runFromProductPage(String product, String shot) throws IOException {
        open("/portal/products/" + product);
        browser.findElement(By.id("run-now")).click();
        wait.until(d -> d.getCurrentUrl().contains("/portal/runs/"));
        wait.until(d -> !d.findElements(By.cssSelector("#run-stages li")).isEmpty()
                || d.findElement(By.id("run-state")).getText().startsWith("finished"));
        if (shot != null) {
            screenshot(shot + "-running");
        }
        wait.until(d -> d.findElement(By.id("run-state")).getText().startsWith("finished"));
        if (shot != null) {
            screenshot(shot);
        }
        return browser.findElement(By.id("run-state")).getText();
    }

    @Test
    @Order(1)
    void aMemberSearchesRunsAProductAndFollowsTheRunLive() throws IOException {
        signInWithTheIdentityProvider(PortalFixture.ALICE);
        searchFor("e-mail");
        assertThat(browser.findElement(By.id("count")).getText()).startsWith("1 of");
        assertThat(browser.findElements(By.cssSelector("#result-list .card h3 a"))).extracting(WebElement::getText)
                .containsExactly("shop.orders");
        searchFor("nothing-is-called-this");
        assertThat(browser.findElement(By.id("count")).getText()).startsWith("0 of");
        searchFor("o");
        assertThat(browser.findElement(By.id("count")).getText()).doesNotStartWith("0 of");

        String first = runFromProductPage("shop.orders", "live-run");
        assertThat(first).isEqualTo("finished: PUBLISHED");
        assertThat(browser.findElements(By.cssSelector("#run-stages li"))).extracting(e -> e.getText().split(" ")[0])
                .contains("resolve", "write", "checks", "commit");
        assertThat(browser.findElement(By.id("run-summary")).getText())
                .startsWith("PUBLISHED: 4 rows read, 3 published, 1 quarantined");
        fixture.mesh.land("shop", "orders", "2.csv", "order_id,amount,status,email\n4,7.00,NEW,d@x.test\n");
        assertThat(runFromProductPage("shop.orders", null)).isEqualTo("finished: PUBLISHED");
        open("/portal/runs?status=PUBLISHED");
        assertThat(browser.findElements(By.cssSelector("#run-list tbody tr"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#recorded-runs tbody tr"))).hasSize(2);
        open("/portal/runs?status=FAILED");
        assertThat(browser.findElements(By.cssSelector("#recorded-runs tbody tr"))).isEmpty();
    }

    @Test
    @Order(2)
    void theProductPageDrawsItsQualityChartsAndLineageAndKeepsHostileTextAsText() throws IOException {
        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
        open("/portal/products/shop.orders");
        wait.until(d -> !d.findElements(By.cssSelector(".chart svg path")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("#lineage-graph svg text")).isEmpty());
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElements(By.cssSelector("#lineage-graph svg text"))).extracting(WebElement::getText)
                .contains("shop.orders", "source pos.orders");
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).hasSize(2);
        assertThat(browser.findElement(By.id("preview")).getText()).contains("a@x.test", "10.00");
        assertThat(browser.findElement(By.id("quarantine")).getText()).as("inside the domain")
                .contains("1 newest of 1 quarantined records", "'oops' is not a decimal(10,2)", "1.csv");

        assertThat(browser.findElement(By.id("description")).getText()).isEqualTo(PortalFixture.HOSTILE);
        assertThat(script("return window.pwned === undefined")).isEqualTo(true);
        assertThat(script("return document.querySelectorAll('[onmouseover],[onerror],img[src=x]').length"))
                .isEqualTo(0L);
        assertThat(script("return Array.from(document.scripts).every(s => s.src && !s.text.trim())"))
                .isEqualTo(true);
        screenshot("product-page");

        @SuppressWarnings("unchecked")
        Map<String, Object> timing = (Map<String, Object>) script("""
                const nav = performance.getEntriesByType('navigation')[0];
                const paint = performance.getEntriesByName('first-contentful-paint')[0];
                const bytes = performance.getEntriesByType('resource').reduce((sum, r) => sum + r.transferSize,
                    nav.transferSize);
                const decoded = performance.getEntriesByType('resource').reduce((sum, r) => sum + r.decodedBodySize,
                    nav.decodedBodySize);
                return { html: nav.decodedBodySize, transferred: bytes, decoded: decoded, ttfbMs: nav.responseStart,
                    firstPaintMs: paint ? paint.startTime : -1, domContentLoadedMs: nav.domContentLoadedEventEnd,
                    loadMs: nav.loadEventEnd, resources: performance.getEntriesByType('resource').length };
                """);
        Files.writeString(SHOTS.resolve("product-page-timing.txt"), timing.toString() + "\n");
        System.out.println("product page timing: " + timing);

        // the column view, reached from the graph's own node
        browser.findElement(By.linkText("Column lineage")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/portal/products/shop.orders/lineage"));
        assertThat(browser.findElement(By.id("column-lineage")).getText()).contains("order_id", "pos");
    }

    @Test
    @Order(3)
    void aConsumerAsksTheProducerApprovesAndTheConsumersProductRuns() throws IOException {
        String bob = fixture.memberToken(PortalFixture.BOB, "finance");
        signInWithToken(bob);
        screenshot("catalog");
        open("/portal/products/shop.orders");
        assertThat(browser.findElements(By.id("preview"))).as("no data before a grant").isEmpty();
        assertThat(browser.findElement(By.id("description")).getText()).isEqualTo(PortalFixture.HOSTILE);
        browser.findElement(By.id("purpose")).sendKeys("Monthly close: orders by status");
        browser.findElement(By.cssSelector("#request-access button")).click();
        wait.until(d -> d.findElement(By.cssSelector("p.notice")).getText().contains("access request was sent"));

        signInWithTheIdentityProvider(PortalFixture.SHOP_OWNER);
        open("/portal/domains/shop");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("finance asks for shop.orders");
        open("/portal/products/shop.orders");
        browser.findElement(By.cssSelector("button.approve")).click();
        wait.until(d -> d.findElement(By.cssSelector("p.notice")).getText().contains("approved"));
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("finance: approved for “Monthly close: orders by status”");

        fixture.writeConsumerProduct();
        signInWithToken(bob);
        wait.until(d -> {
            d.navigate().refresh();
            return d.getPageSource().contains("finance.order_totals");
        });
        assertThat(runFromProductPage("finance.order_totals", null)).isEqualTo("finished: PUBLISHED");
        open("/portal/products/shop.orders");
        assertThat(browser.findElement(By.id("preview")).getText()).as("a grant shows the data, without personal data")
                .doesNotContain("a@x.test");
        assertThat(browser.findElement(By.cssSelector("#preview-h + p.notice")).getText()).contains("email");
        assertThat(browser.findElements(By.id("quarantine"))).as("raw records stay inside the domain").isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("oops");

        open("/portal/products/hr.salaries");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(browser.getPageSource()).doesNotContain("seen only inside hr");
    }

    @Test
    @Order(4)
    void pagesReadAtPhoneWidthAndNoPageBreaksTheContentSecurityPolicy() {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : List.of("/portal", "/portal/products/shop.orders", "/portal/runs",
                    "/portal/domains/shop")) {
                open(page);
                Object overflow = script("return document.documentElement.scrollWidth - window.innerWidth");
                assertThat(((Number) overflow).longValue()).as(page + " fits the width").isLessThanOrEqualTo(0L);
                assertThat(script("return ['main', 'h1', 'body > header', 'body > footer', 'header nav']"
                        + ".map(s => document.querySelectorAll(s).length)")).as(page + ": landmarks, one heading")
                        .asList().containsExactly(1L, 1L, 1L, 1L, 1L);
                assertThat(script("return Array.from(document.querySelectorAll('input:not([type=hidden]), select, "
                        + "textarea')).filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))"
                        + ".map(e => e.name)")).as(page + ": every control has a label").asList().isEmpty();
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
        List<LogEntry> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getMessage().contains("Content Security Policy")
                        || entry.getLevel() == Level.SEVERE && !entry.getMessage().contains("favicon")
                        && !entry.getMessage().contains("/portal/products/hr.salaries - Failed to load resource"))
                .toList();
        assertThat(violations).extracting(LogEntry::getMessage).isEmpty();
    }
}
