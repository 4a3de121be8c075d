package dev.websocketstarter.sample.chat;

import java.time.Duration;

import com.microsoft.playwright.Page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a person does on the chat page, for the browser tests.
 */
final class ChatPages {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private ChatPages() {
	}

	/**
	 * Load the page from a server, pick a room, join it under a name and wait until it is
	 * connected.
	 */
	static Page join(Page page, int port, String room, String name) {
		page.navigate("http://localhost:" + port + "/");
		page.locator("#room").selectOption(room);
		page.locator("#name").fill(name);
		page.locator("#name").press("Enter");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(page.locator("#state").getAttribute("data-state")).isEqualTo("open"));
		return page;
	}

	static void say(Page page, String text) {
		page.locator("#text").fill(text);
		page.locator("#text").press("Enter");
	}

}
