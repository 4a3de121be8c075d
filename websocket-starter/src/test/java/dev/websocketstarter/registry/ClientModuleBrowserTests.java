package dev.websocketstarter.registry;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RecordingHandler;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the browser client the starter serves at
 * {@code /websocket-starter/client.js}, in Debian's Chromium driven by Playwright: a page
 * that loses its connection while messages are multicast shows each of them once, in
 * order, after it reconnects, and its heartbeats never reach the handler.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = EchoApp.class,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.history.subscriptions=/ws/echo" })
class ClientModuleBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final AtomicLong ids = new AtomicLong();

	private static Playwright playwright;

	private static Browser browser;

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler echo;

	private BrowserContext context;

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

	@BeforeEach
	void newContext() {
		this.context = browser.newContext();
	}

	@AfterEach
	void closeContext() {
		this.context.close();
	}

	@Test
	void pageThatLostItsConnectionShowsEveryMessageOnceInOrderAfterItReconnects() {
		String id = "page-" + ids.incrementAndGet();
		Page page = open(id, 25000);
		await().atMost(WAIT).until(() -> count(page, "window.subscribed.length") == 1);
		assertThat(page.evaluate("window.subscribed[0].recovery")).isEqualTo("none");
		long start = (Integer) page.evaluate("window.subscribed[0].offset");
		IntStream.rangeClosed(1, 5).forEach((i) -> this.registry.multicast("/ws/echo", "message " + i));
		await().atMost(WAIT).until(() -> count(page, "window.received.length") == 5);

		this.registry.close(this.echo.awaitChannel(id), CloseStatus.SERVICE_RESTARTED);
		// Multicast while the page waits to reconnect: its channel left at once
		IntStream.rangeClosed(6, 20).forEach((i) -> this.registry.multicast("/ws/echo", "message " + i));

		await().atMost(WAIT).until(() -> count(page, "window.received.length") == 20);
		assertThat(page.evaluate("window.received")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsExactlyElementsOf(
					IntStream.rangeClosed(1, 20).mapToObj((i) -> (start + i) + ":message " + i).toList());
		assertThat(page.evaluate("window.subscribed[1].recovery")).isEqualTo("recovered");
		assertThat(page.evaluate("window.subscribed[1].missed")).isEqualTo(15);
		assertThat(page.evaluate("window.states")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsSubsequence("open", "reconnecting", "open");
	}

	@Test
	void heartbeatsAreAnsweredByTheStarterAndNeverReachTheHandler() {
		String id = "heartbeat-" + ids.incrementAndGet();
		Page page = open(id, 300);
		await().atMost(WAIT).until(() -> count(page, "window.subscribed.length") == 1);
		int before = this.echo.texts().size();
		// A few heartbeats in the silence, each answered, so the page stays on one
		// connection: one left unanswered for a period makes it reconnect
		await().atMost(WAIT).until(() -> count(page, "window.heartbeats") >= 4);
		assertThat(page.evaluate("window.states")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsExactly("connecting", "open");
		assertThat(this.echo.texts().size()).isEqualTo(before);
		assertThat(page.evaluate("window.appMessages.length")).isEqualTo(0);
		assertThat(this.registry.isOpen(this.echo.awaitChannel(id))).isTrue();
	}

	private Page open(String id, int heartbeat) {
		Page page = this.context.newPage();
		page.navigate("http://localhost:" + this.port + "/history-client.html?id=" + id + "&heartbeat=" + heartbeat);
		return page;
	}

	private static int count(Page page, String expression) {
		return ((Number) page.evaluate(expression)).intValue();
	}

}
