package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.websocketstarter.cluster.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat page on two chat nodes sharing one real Redis server, in Chromium: a page on
 * each node chats with the other, both list the same members, and a newcomer on either
 * node gets the same history.
 */
class ChatClusterPageTests {

	private static final Duration TIMEOUT = ChatPages.TIMEOUT;

	private static final String ROOM = "/websocket/chat";

	private static RedisServer redis;

	private static ConfigurableApplicationContext one;

	private static ConfigurableApplicationContext two;

	private static Playwright playwright;

	private static Browser browser;

	@BeforeAll
	static void startNodesAndBrowser() {
		redis = RedisServer.start();
		one = ChatNodes.start("page-1", redis);
		two = ChatNodes.start("page-2", redis);
		ChatNodes.awaitEachOther(one, two);
		playwright = Playwright.create();
		browser = Chromium.launch(playwright);
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { playwright, one, two, redis }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	void pagesOnTwoNodesChatListTheSameMembersAndNewcomersGetTheSameHistory() {
		try (BrowserContext context = browser.newContext()) {
			Page alice = open(context, one, "alice");
			Page bob = open(context, two, "bob");
			for (Page page : List.of(alice, bob)) {
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(page.locator("#people li").allTextContents())
						.containsExactly("alice", "bob"));
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(page.locator("#members").textContent()).isEqualTo("2 members"));
			}
			ChatPages.say(alice, "hello from node one");
			ChatPages.say(bob, "hello from node two");
			List<String> both = List.of("hello from node one", "hello from node two");
			for (Page page : List.of(alice, bob)) {
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(page.locator(".message .text").allTextContents())
						.containsExactlyElementsOf(both));
			}

			Page carol = open(context, one, "carol");
			Page dave = open(context, two, "dave");
			for (Page newcomer : List.of(carol, dave)) {
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(newcomer.locator(".message .text").allTextContents())
						.containsExactlyElementsOf(both));
				assertThat(newcomer.locator(".message .from").allTextContents()).containsExactly("alice", "bob");
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(newcomer.locator("#people li").allTextContents())
						.containsExactly("alice", "bob", "carol", "dave"));
			}
		}
	}

	private static Page open(BrowserContext context, ConfigurableApplicationContext node, String name) {
		return ChatPages.join(context.newPage(), ChatNodes.port(node), ROOM, name);
	}

}
