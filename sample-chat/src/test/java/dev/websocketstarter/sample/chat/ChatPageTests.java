package dev.websocketstarter.sample.chat;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the chat page ({@code static/index.html} and {@code chat.js}) in Debian's
 * Chromium, driven by Playwright. The application starts on a port of the system's
 * choosing, and a test that stops it starts it again on that port, where the page expects
 * it.
 */
class ChatPageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static int port;

	private static ConfigurableApplicationContext application;

	private static Playwright playwright;

	private static Browser browser;

	private BrowserContext browserContext;

	private final List<String> dialogs = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startApplicationAndBrowser() {
		application = startApplication(0);
		port = ((WebServerApplicationContext) application).getWebServer().getPort();
		playwright = Playwright.create();
		browser = Chromium.launch(playwright);
	}

	@AfterAll
	static void stopBrowserAndApplication() {
		if (playwright != null) {
			playwright.close();
		}
		if (application != null) {
			application.close();
		}
	}

	@BeforeEach
	void newBrowserContext() {
		this.browserContext = browser.newContext(new Browser.NewContextOptions().setViewportSize(900, 600));
	}

	@AfterEach
	void closeBrowserContext() {
		this.browserContext.close();
	}

	@Test
	void twoPagesChatWithEachOther() {
		Page alice = open("/websocket/chat", "alice");
		Page bob = open("/websocket/chat", "bob");
		awaitText(alice.locator(".notice"), "bob joined");
		awaitText(alice.locator("#members"), "2 members");
		say(alice, "Hi Bob, how are you?");
		say(bob, "Fine, thanks!");
		// Earlier tests may have left history in the room: look at the newest messages
		for (Page page : List.of(alice, bob)) {
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(page.locator(".message .text").allTextContents())
					.endsWith("Hi Bob, how are you?", "Fine, thanks!")
					.containsOnlyOnce("Hi Bob, how are you?", "Fine, thanks!"));
			assertThat(page.locator(".message .from").allTextContents()).endsWith("alice", "bob");
			assertThat(page.locator(".message time").allTextContents()).allMatch((time) -> time.matches(".*\\d.*"));
		}
		assertThat(alice.locator(".message.mine .text").allTextContents()).contains("Hi Bob, how are you?")
			.doesNotContain("Fine, thanks!");
		alice.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/chat.png")));
		assertThat(alice.locator("#people li").allTextContents()).contains("alice", "bob");
		bob.close();
		awaitText(alice.locator(".notice"), "bob left");
		awaitText(alice.locator("#members"), "1 member");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(alice.locator("#people li").allTextContents()).contains("alice")
				.doesNotContain("bob"));
	}

	@Test
	void namesAreIsolatedSoThatARightToLeftNameCannotReorderItsLine() {
		String hebrew = "\u05D0\u05DC\u05D9\u05E1 12";
		Page alice = open("/websocket/chat2", hebrew);
		Page bob = open("/websocket/chat2", "bob");
		awaitText(alice.locator(".notice bdi"), "bob");
		say(alice, "shalom");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(bob.locator(".message bdi.from").allTextContents()).contains(hebrew));
		assertThat(bob.locator(".message .from").last().evaluate("(element) => element.tagName")).isEqualTo("BDI");
		assertThat(bob.locator("#people bdi").allTextContents()).contains(hebrew, "bob");
	}

	@Test
	void refusedNameIsShownAndThePageDoesNotReconnect() {
		Page page = this.browserContext.newPage();
		page.navigate("http://localhost:" + port + "/");
		page.locator("#name").fill("alice\u200B");
		page.locator("#name").press("Enter");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(page.locator("#state").getAttribute("data-state")).isEqualTo("closed"));
		assertThat(page.locator("#state").textContent())
			.isEqualTo("closed: Invalid name: it holds the invisible character U+200B");
	}

	@Test
	void markupInAMessageOrANameIsShownAsTextAndRunsNothing() {
		String markup = "<img src=x onerror=alert(1)>";
		Page alice = open("/websocket/chat2", "<b onclick=alert(2)>al</b>");
		Page bob = open("/websocket/chat2", "bob");
		say(alice, markup);
		say(alice, "after the markup");
		for (Page page : List.of(alice, bob)) {
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(page.locator(".message .text").allTextContents())
					.containsSubsequence(markup, "after the markup"));
			assertThat(page.locator(".message .from").allTextContents()).contains("<b onclick=alert(2)>al</b>");
			assertThat(page.locator("#messages img, #messages b").count()).isZero();
		}
		bob.locator(".message .from").last().click();
		// Dialogs come in order: one the markup opened would come before this one
		bob.evaluate("() => setTimeout(() => alert('marker'))");
		// Playwright hands out the page's events only while it is called
		await().atMost(TIMEOUT).until(() -> bob.title() != null && this.dialogs.contains("marker"));
		assertThat(this.dialogs).containsExactly("marker");
	}

	@Test
	void pageThatLostItsConnectionShowsTheMessagesSentMeanwhileOnceEach() {
		Page alice = open("/websocket/chat2", "alice");
		Page bob = open("/websocket/chat2", "bob");
		say(alice, "before the cut");
		awaitText(bob.locator(".message .text"), "before the cut");
		ChannelRegistry registry = application.getBean(ChannelRegistry.class);
		Channel bobsChannel = registry.presence("/websocket/chat2")
			.members()
			.stream()
			.filter((member) -> "bob".equals(member.attributes().get("name")))
			.findFirst()
			.orElseThrow()
			.channel();
		registry.close(bobsChannel, CloseStatus.SERVICE_RESTARTED);
		List<String> missed = List.of("while bob was away 1", "while bob was away 2", "while bob was away 3");
		missed.forEach((text) -> say(alice, text));

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(bob.locator(".message .text").allTextContents())
				.endsWith(missed.toArray(String[]::new)));
		awaitText(bob.locator("#state"), "connected as bob");
		// A message sent after the recovery, once it is shown, proves no copy is still on
		// its way
		say(alice, "after bob is back");
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(bob.locator(".message .text").allTextContents()).endsWith("after bob is back"));
		assertThat(bob.locator(".message .text").allTextContents()).containsOnlyOnce(missed.toArray(String[]::new))
			.containsOnlyOnce("before the cut");
	}

	@Test
	void pageReconnectsAfterAServerRestartAndChatGoesOn() {
		Page alice = open("/websocket/chat", "alice");
		application.close();
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(alice.locator("#state").getAttribute("data-state")).isEqualTo("reconnecting"));
		assertThat(alice.locator("#text").isDisabled()).isTrue();
		application = restartApplication();
		Page bob = open("/websocket/chat", "bob");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(alice.locator("#state").getAttribute("data-state")).isEqualTo("open"));
		awaitText(alice.locator("#state"), "connected as alice");
		say(alice, "back again");
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(bob.locator(".message .text").allTextContents()).containsExactly("back again"));
	}

	private Page open(String room, String name) {
		Page page = this.browserContext.newPage();
		page.onDialog((dialog) -> {
			this.dialogs.add(dialog.message());
			dialog.dismiss();
		});
		return ChatPages.join(page, port, room, name);
	}

	private static void say(Page page, String text) {
		ChatPages.say(page, text);
	}

	private static void awaitText(Locator locator, String text) {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(locator.allTextContents()).contains(text));
	}

	private static ConfigurableApplicationContext startApplication(int port) {
		return new SpringApplicationBuilder(ChatApplication.class).run("--server.port=" + port,
				"--management.server.port=0", "--chat.connections.max-per-address=1000",
				"--chat.connections.burst=1000");
	}

	/**
	 * Start the application again on its port, which something else may hold for a moment
	 * after it was freed (a connection's local port): that is tried again.
	 */
	private static ConfigurableApplicationContext restartApplication() {
		AtomicReference<ConfigurableApplicationContext> started = new AtomicReference<>();
		await().atMost(TIMEOUT).until(() -> {
			try {
				started.set(startApplication(port));
				return true;
			}
			catch (PortInUseException ex) {
				return false;
			}
		});
		return started.get();
	}

}
