package dev.websocketstarter.sample.logview;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the log view page in Debian's Chromium, driven by Playwright.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.user.password=page-test-secret", "log-view.refresh=100ms" })
class LogViewPageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	static Path directory;

	private static Playwright playwright;

	private static Browser browser;

	@LocalServerPort
	private int port;

	@Autowired
	private LocalNode node;

	@DynamicPropertySource
	static void files(DynamicPropertyRegistry registry) {
		registry.add("log-view.files.app", () -> directory.resolve("app.log").toString());
	}

	@BeforeAll
	static void startBrowser() {
		playwright = Playwright.create();
		browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(Paths.get("/usr/bin/chromium"))
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
						"--disable-component-update", "--disable-sync", "--no-first-run")));
	}

	@AfterAll
	static void stopBrowser() {
		if (playwright != null) {
			playwright.close();
		}
	}

	private static void append(String... lines) throws IOException {
		Files.writeString(directory.resolve("app.log"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private List<String> shownLines(Page page) {
		return page.locator("#lines .line:not(.system) .text").allTextContents();
	}

	@Test
	void pageThatLostItsConnectionResumesAndShowsEachLineWrittenMeanwhileOnce() throws IOException {
		append("before the cut");
		try (Page page = browser.newPage()) {
			logIn(page);
			page.locator("#files input[value=app]").check();
			await().atMost(TIMEOUT).until(() -> shownLines(page).contains("before the cut"));
			for (Channel channel : this.node.channels()) {
				this.node.registry().close(channel, CloseStatus.SERVICE_RESTARTED);
			}
			append("while away 1", "while away 2");
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(shownLines(page)).endsWith("while away 1", "while away 2"));
			assertThat(shownLines(page)).containsOnlyOnce("before the cut", "while away 1", "while away 2");
			assertThat(page.locator("#connection").textContent()).isEqualTo("open");
		}
	}

	@Test
	void secretsInTheLogNeverReachThePage() throws IOException {
		append("Using generated security password: 6f1c2b4e-5d3a-4b7e-9c21-8e0f7a6d5b4c",
				"db.password=hunter2 db.user=app", "{\"client_secret\": \"s3cr3t-value\", \"id\": 7}",
				"GET /api Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "after the secrets");
		try (Page page = browser.newPage()) {
			logIn(page);
			page.locator("#files input[value=app]").check();
			await().atMost(TIMEOUT).until(() -> shownLines(page).contains("after the secrets"));
			String shown = String.join("\n", shownLines(page));
			assertThat(shown).doesNotContain("6f1c2b4e", "hunter2", "s3cr3t-value", "eyJhbGciOiJIUzI1NiJ9")
				.contains("Using generated security password: [redacted]", "db.password=[redacted] db.user=app",
						"\"client_secret\": [redacted]", "Authorization: Bearer [redacted]");
			assertThat(page.content()).doesNotContain("hunter2", "6f1c2b4e");
		}
	}

	private void logIn(Page page) {
		page.navigate("http://localhost:" + this.port + "/admin/log-view");
		page.fill("input[name=username]", "admin");
		page.fill("input[name=password]", "page-test-secret");
		page.click("button[type=submit]");
		page.waitForURL("**/admin/log-view");
	}

	@Test
	void administratorLogsInFollowsAFileAndSeesAppendedLinesAsText() throws IOException {
		append("2026-11-23 INFO started");
		List<String> dialogs = new CopyOnWriteArrayList<>();
		try (Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1000, 600))) {
			page.onDialog((dialog) -> {
				dialogs.add(dialog.message());
				dialog.dismiss();
			});
			page.navigate("http://localhost:" + this.port + "/admin/log-view");
			assertThat(page.url()).endsWith("/login");
			page.fill("input[name=username]", "admin");
			page.fill("input[name=password]", "page-test-secret");
			page.click("button[type=submit]");
			page.waitForURL("**/admin/log-view");
			page.locator("#files input[value=app]").check();
			await().atMost(TIMEOUT).until(() -> shownLines(page).contains("2026-11-23 INFO started"));
			append("<script>alert(1)</script>", "2026-11-23 ERROR something broke");
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(shownLines(page)).endsWith("<script>alert(1)</script>",
						"2026-11-23 ERROR something broke"));
			assertThat(page.locator("#lines script").count()).isZero();
			assertThat(page.locator("#lines .line.error .text").allTextContents())
				.containsExactly("2026-11-23 ERROR something broke");
			page.click("#pause");
			append("written while paused");
			await().atMost(TIMEOUT).until(() -> page.locator("#counts").textContent().contains("1 waiting"));
			assertThat(shownLines(page)).doesNotContain("written while paused");
			page.click("#pause");
			assertThat(shownLines(page)).endsWith("written while paused");
			page.fill("#filter", "error");
			assertThat(page.locator("#lines .line:not(.hidden):not(.system) .text").allTextContents())
				.containsExactly("2026-11-23 ERROR something broke");
			page.fill("#filter", "");
			page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/log-view.png")));
			assertThat(dialogs).isEmpty();
		}
	}

}
