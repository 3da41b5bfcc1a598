package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.dsvmpools.kit.SamplePools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The front door in a real browser (Debian's headless Chromium through Selenium) against the dev stack: a user
 * of a pool at zero signs in through the emulator's Entra ID, sees the pool start, and is sent on to the pool's
 * JupyterHub; someone not on the roster is told so; the admin sees the portal. In this order: the first needs
 * the pool still at zero. Screenshots of each page go to
 * {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static DevStackFixture.Started started;
    private static HostProcess stack;
    private static String hub;

    @BeforeAll
    static void stackWithAPoolAtZero() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        started = DevStackFixture.start(DevStack.newKey());
        stack = started.stack();
        DevStackFixture.send(stack, "POST", "/api/pools", SamplePools.document("door-team")
                .replace("\"initial\":2", "\"initial\":0"));
        JsonNode ready = DevStackFixture.settled(stack, "door-team");
        assertThat(ready.path("status").asText()).as(ready.toPrettyString()).isEqualTo("Ready");
        hub = ready.path("endpoints").path("jupyterHub").asText();
        var added = DevStackFixture.send(stack, "POST", "/api/pools/door-team/users",
                "{\"email\":\"" + EmulatedControlPlane.SAMPLE_USER + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aUserOfAPoolAtZeroSignsInSeesItStartAndLandsOnTheHub() throws Exception {
        WebDriver browser = chromium();
        try {
            browser.get(stack.url("/api/p/door-team"));
            signIn(browser, EmulatedControlPlane.SAMPLE_USER);

            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getTitle().startsWith("Starting"));
            screenshot(browser, "door-waiting");
            assertThat(browser.findElement(By.id("doing")).getText()).contains("instance");
            assertThat(browser.findElement(By.id("expected")).getText()).startsWith("Expected ready at");
            // The wake goes through the wake queue, whose trigger has the scaler ask ARM for an instance.
            assertThat(org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> DevStackFixture.pool(stack, "door-team")
                            .path("scaling").path("actions").toString(), actions -> actions.contains("creating")))
                    .as("the door's wake asked for one instance").contains("creating 1 instance");

            // Running in ARM is not yet a seat: the instance's hub answers once its agent does (a minute after boot).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> DevStackFixture.pool(stack, "door-team").path("scaling").path("instances").path(0)
                            .path("power").asText(), "Running"::equals);
            browser.navigate().refresh();
            assertThat(browser.getTitle()).startsWith("Starting");
            assertThat(browser.findElement(By.id("doing")).getText()).isEqualTo("An instance is up; its JupyterHub"
                    + " is starting.");
            screenshot(browser, "door-hub-starting");

            // The agent's first report; the page, refreshing itself, sends the user on.
            var reported = DevStackFixture.report(started, "door-team", "0", "[]");
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(b -> b.getCurrentUrl().startsWith(hub));
            screenshot(browser, "door-on-to-the-hub");
            assertThat(browser.getCurrentUrl()).isEqualTo(hub + "hub/oauth_login?login_hint=alice%40contoso.com");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(2)
    void someoneNotOnTheRosterIsToldSo() throws Exception {
        WebDriver browser = chromium();
        try {
            browser.get(stack.url("/api/p/door-team"));
            signIn(browser, "bob@contoso.com");

            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getTitle().startsWith("Not a user"));
            screenshot(browser, "door-not-on-roster");
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not a user of this pool");
            assertThat(browser.findElement(By.id("why")).getAttribute("data-reason")).isEqualTo("not-on-roster");
            assertThat(browser.findElement(By.id("why")).getText()).contains("bob@contoso.com")
                    .contains("is not a user of pool door-team");
            assertThat(DevStackFixture.pool(stack, "door-team").path("scaling").path("actions").toString())
                    .as("nobody off the roster wakes the pool").doesNotContain("creating 2");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(3)
    void anAddressThatIsNoPoolNameIsAPageThatSaysWhy() {
        WebDriver browser = chromium();
        try {
            browser.get(stack.url("/api/p/No_Such"));
            screenshot(browser, "door-bad-name");
            assertThat(browser.getTitle()).startsWith("Not a pool's address");
            assertThat(browser.findElement(By.id("why")).getText()).contains("'No_Such' is not a pool's name");
        } finally {
            browser.quit();
        }
    }

    /**
     * The portal as the installation's admin sees it (alice holds the door app's Pools.Admin role in the dev
     * stack): her pools, then one pool with its instances, its users (one added and removed through the page's
     * forms, by keyboard) and the forecast chart, drawn from two weeks of demand history; and a change posted
     * from another site refused.
     */
    @Test
    @Order(5)
    void anAdminSeesTheRosterChangesItAndSeesTheForecastChart() throws Exception {
        seedTwoWeeksOfDemand("door-team");
        // alice at work on the pool's instance: the agent's report begins her session.
        var reported = DevStackFixture.report(started, "door-team", "0", "[{\"user\":\"alice\",\"lastActivity\":\""
                + org.dsvmpools.kit.SystemClock.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}]");
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        WebDriver browser = chromium();
        try {
            browser.get(stack.url("/api/portal"));
            signIn(browser, EmulatedControlPlane.SAMPLE_USER);
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getTitle().startsWith("Your pools"));
            screenshot(browser, "portal-pools");
            assertThat(browser.findElement(By.id("pools")).getText()).contains("door-team");
            assertThat(browser.findElement(By.cssSelector("#pools td.sessions")).getText())
                    .as("her own sessions this week").startsWith("1 session, ");

            browser.findElement(By.linkText("door-team")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getTitle().startsWith("Pool door-team"));
            assertThat(browser.findElement(By.id("roster")).getText()).contains("alice", "alice@contoso.com");
            assertThat(browser.findElements(By.cssSelector("svg#forecast rect"))).as("a bar per quarter hour")
                    .hasSizeGreaterThanOrEqualTo(4);
            assertThat(browser.findElement(By.cssSelector("figure figcaption")).getText())
                    .contains("days of history");
            assertThat(browser.findElement(By.id("cost")).getText()).as("the scaler's hours at the retail price list's"
                    + " price, the emulator's").contains("instance-hours of Standard_D4s_v5")
                    .contains("pay-as-you-go Linux price in westeurope (0.2300 an hour)");
            screenshot(browser, "portal-pool-owner");

            WebElement email = browser.findElement(By.id("email"));
            email.sendKeys("carol@contoso.com");
            email.sendKeys(Keys.ENTER);
            new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(() -> browser.getTitle() + ": "
                    + browser.getPageSource()).until(b -> !b.findElements(By.id("notice")).isEmpty());
            assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("carol added.");
            assertThat(browser.findElement(By.id("roster")).getText()).contains("carol@contoso.com");
            screenshot(browser, "portal-user-added");

            WebElement remove = browser.findElement(By.cssSelector("button[aria-label='Remove carol']"));
            remove.sendKeys(Keys.ENTER);
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("notice"),
                    "carol removed."));
            assertThat(browser.findElement(By.id("roster")).getText()).contains("carol@contoso.com removed");

            String session = browser.manage().getCookieNamed("dsvmpools_door").getValue();
            var crossSite = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.url("/api/portal/door-team/users"))).header("Cookie",
                    "dsvmpools_door=" + session).header("Origin", "https://evil.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("email=mallory%40evil.example")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(crossSite.statusCode()).isEqualTo(403);
            assertThat(crossSite.body()).contains("did not come from the portal");
            assertThat(DevStackFixture.send(stack, "GET", "/api/pools/door-team/users", null).body())
                    .doesNotContain("mallory");
        } finally {
            browser.quit();
        }
    }

    /** Every quarter hour of the last 14 days with two users: the scaler's next evaluation forecasts from it. */
    private static void seedTwoWeeksOfDemand(String pool) throws Exception {
        var histories = new org.dsvmpools.azure.TableDemandHistories(new org.dsvmpools.azure.StorageClients(
                org.dsvmpools.kit.AzuriteProcess.connectionString(started.azuritePort())).table("demand"));
        java.time.LocalDate today = org.dsvmpools.kit.SystemClock.now().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        int slots = org.dsvmpools.scaling.DemandHistory.SLOTS_PER_DAY;
        for (int day = 1; day <= 14; day++) {
            int[] users = new int[slots];
            java.util.Arrays.fill(users, 2);
            histories.save(new org.dsvmpools.pool.PoolName(pool), new org.dsvmpools.scaling.DemandHistory.Day(
                    today.minusDays(day), users, new int[slots]));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    DevStackFixture.send(stack, "POST", "/api/pools/" + pool + "/wake", "{}");
                    return DevStackFixture.pool(stack, pool).path("scaling").path("forecast").path("next").size();
                }, size -> size > 0);
    }

    /**
     * What an attacker without a session can try: a made-up session cookie is nobody (the door starts a sign-in),
     * and a callback with a state the door never sent, or none, is a page that says so; neither wakes anything.
     */
    @Test
    @Order(4)
    void aForgedSessionOrCallbackGetsNoFurtherThanTheSignIn() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var forged = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.url("/api/p/door-team")))
                .header("Cookie", "dsvmpools_door=" + "A".repeat(43)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var callback = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.url(
                "/api/door/signed-in?code=stolen&state=never-sent"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(302);
        assertThat(forged.headers().firstValue("Location").orElseThrow()).contains("/oauth2/v2.0/authorize?")
                .contains("code_challenge_method=S256");
        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(callback.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(callback.body()).contains("This sign-in was not started here");
        assertThat(callback.headers().firstValue("Set-Cookie")).isEmpty();
    }

    /** The emulator's sign-in page, as Entra's: the account's name, then Next. */
    private static void signIn(WebDriver browser, String login) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getTitle().equals("Sign in to your account"));
        screenshot(browser, "entra-sign-in-" + login.substring(0, login.indexOf('@')));
        browser.findElement(By.name("login")).sendKeys(login);
        browser.findElement(By.cssSelector("input[type=submit]")).click();
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // The emulator serves Entra ID over HTTPS with its own certificate; root in a container needs --no-sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--ignore-certificate-errors", "--window-size=1024,768");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
