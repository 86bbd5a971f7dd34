package dev.mesh.server.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal on the example mesh, as a person meets it: the quickstart's products published, {@code bin/mesh serve}
 * started as users start it, Debian's Chromium signed in with an API token. The product page of sales.orders is
 * opened cold (the browser's cache emptied) and warm, ROUNDS times each; Chromium's navigation and paint timing give
 * the time to first byte, first contentful paint and load, and the bytes transferred and decoded. Full-page
 * screenshots of the catalog, the product page and a live run go to bench/out/portal-*.png; figures to
 * bench/out/portal.csv.
 *   bench/portal.sh [ROUNDS=5]
 */
public final class PortalBench {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final Path OUT = HOME.resolve("bench/out");
    private static final Pattern LISTENING = Pattern.compile("mesh serve: http://127\\.0\\.0\\.1:(\\d+)/api/v1");
    private static final String TIMING = """
            const nav = performance.getEntriesByType('navigation')[0];
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const resources = performance.getEntriesByType('resource');
            return [nav.responseStart, paint ? paint.startTime : -1, nav.domContentLoadedEventEnd, nav.loadEventEnd,
                resources.reduce((sum, r) => sum + r.transferSize, nav.transferSize),
                resources.reduce((sum, r) => sum + r.decodedBodySize, nav.decodedBodySize)];
            """;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Files.createDirectories(OUT);
        Path mesh = Files.createTempDirectory("mesh-portal-bench");
        try (Stream<Path> files = Files.walk(HOME.resolve("examples"))) {
            for (Path from : files.toList()) {
                Path to = mesh.resolve(HOME.resolve("examples").relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Path platform = mesh.resolve("platform.yaml");
        Files.writeString(platform, Files.readString(platform).replace("root: ../mesh-data", "root: zones")
                .replace("../mesh-data/_lineage", "zones/_lineage") + "server:\n  admins: [bench]\n");
        mesh("quickstart", "--platform", platform.toString());
        mesh("run", "--platform", platform.toString(), "sales.orders", "--force");
        String token = mesh("token", "create", "--platform", platform.toString(), "--principal", "bench", "--role",
                "admin").strip();
        Path log = mesh.resolve("serve.log");
        Process server = new ProcessBuilder("bash", HOME.resolve("bin/mesh").toString(), "--platform",
                platform.toString(), "serve", "--port", "0").redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        ChromeDriver browser = null;
        try {
            String base = "http://127.0.0.1:" + awaitPort(log, server);
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1280,1000");
            browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(
                    Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build(), options);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(300));
            browser.get(base + "/portal/sign-in");
            browser.findElement(By.id("token-field")).sendKeys(token);
            browser.findElement(By.cssSelector("form[action='/portal/sign-in'] button")).click();
            wait.until(d -> d.getCurrentUrl().endsWith("/portal"));
            shot(browser, "catalog");

            List<String> csv = new ArrayList<>(List.of(
                    "cache,round,ttfb_ms,first_contentful_paint_ms,dom_content_loaded_ms,load_ms,bytes_transferred,"
                            + "bytes_decoded"));
            for (String cache : List.of("cold", "warm")) {
                for (int round = 1; round <= rounds; round++) {
                    if (cache.equals("cold")) {
                        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
                    }
                    browser.get(base + "/portal/products/sales.orders");
                    wait.until(d -> !d.findElements(By.cssSelector("#lineage-graph svg")).isEmpty());
                    List<?> t = (List<?>) browser.executeScript(TIMING);
                    csv.add(cache + "," + round + "," + t.stream().map(v -> String.format(java.util.Locale.ROOT,
                            "%.0f", ((Number) v).doubleValue())).reduce((a, b) -> a + "," + b).orElseThrow());
                    System.out.println(csv.get(csv.size() - 1));
                }
            }
            shot(browser, "product-page");
            browser.findElement(By.cssSelector("input[name=fullRefresh]")).click();
            browser.findElement(By.id("run-now")).click();
            wait.until(d -> d.getCurrentUrl().contains("/portal/runs/"));
            wait.until(d -> d.findElements(By.cssSelector("#run-stages li")).size() >= 3
                    || d.findElement(By.id("run-state")).getText().startsWith("finished"));
            shot(browser, "live-run");
            wait.until(d -> d.findElement(By.id("run-state")).getText().startsWith("finished"));
            Files.write(OUT.resolve("portal.csv"), csv);
            System.out.println("wrote " + OUT.resolve("portal.csv") + " and bench/out/portal-*.png");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            server.destroy();
            server.waitFor();
        }
    }

    private static void shot(ChromeDriver browser, String name) throws IOException {
        long height = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 140, 6000)));
        Files.write(OUT.resolve("portal-" + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    private static String mesh(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", HOME.resolve("bin/mesh").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("bin/mesh " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private static int awaitPort(Path log, Process server) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not start: " + Files.readString(log));
    }
}
