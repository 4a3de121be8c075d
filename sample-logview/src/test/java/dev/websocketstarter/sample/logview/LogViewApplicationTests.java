package dev.websocketstarter.sample.logview;

import dev.websocketstarter.autoconfigure.WebSocketProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogViewApplication} on its embedded defaults.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LogViewApplicationTests {

	@Autowired
	private WebSocketProperties webSocket;

	@Autowired
	private LogViewProperties properties;

	@Test
	void watchesItsOwnAccessAndApplicationLogsByDefault() {
		assertThat(this.webSocket.getApps().get("log-view").getUrls()).containsExactly("/admin/websocket/log-view");
		assertThat(this.properties.files()).containsOnlyKeys("access", "app");
		assertThat(this.properties.files().get("access")).hasToString("logs/access.log");
		assertThat(this.properties.files().get("app")).hasToString("logs/app.log");
	}

}
