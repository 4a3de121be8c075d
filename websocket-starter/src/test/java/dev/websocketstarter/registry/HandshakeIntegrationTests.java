package dev.websocketstarter.registry;

import java.io.IOException;
import java.time.Duration;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the handshake of app URLs, over raw sockets.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.open.urls=/ws/open",
				"websocket.apps.open.allowed-origins=https://*.example.com" })
@ExtendWith(OutputCaptureExtension.class)
class HandshakeIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private LocalNode node;

	@Autowired
	private RecordingHandler echo;

	@Test
	void handshakeIsAcceptedWithTheRfcAcceptKey() throws Exception {
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=accept")) {
			assertThat(client.status()).isEqualTo(101);
			assertThat(client.header("Upgrade")).isEqualToIgnoringCase("websocket");
			assertThat(client.header("Sec-WebSocket-Accept")).isEqualTo(client.expectedAccept());
		}
	}

	@Test
	void compressionIsDeclinedByDefault() throws Exception {
		// Accepting it would keep zlib state with the connection for its lifetime
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=no-deflate",
				"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
			assertThat(client.status()).isEqualTo(101);
			assertThat(client.header("Sec-WebSocket-Extensions")).isNull();
		}
	}

	@Test
	void sameOriginIsAllowedByDefault() throws Exception {
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=same-origin",
				"Origin: http://localhost:" + this.port)) {
			assertThat(client.status()).isEqualTo(101);
		}
	}

	@Test
	void foreignOriginIsRefusedWith403AndNothingIsRegistered() throws Exception {
		// Other tests' channels may still be closing
		await().atMost(Duration.ofSeconds(10)).until(() -> this.node.channelCount() == 0);
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=foreign",
				"Origin: https://evil.example.org")) {
			assertThat(client.status()).isEqualTo(403);
		}
		assertThat(this.echo.channel("foreign")).isNull();
		assertThat(this.node.channelCount()).isZero();
	}

	@Test
	void configuredOriginPatternsAreAllowedAndOthersRefused() throws Exception {
		try (RawClient allowed = RawClient.handshake(this.port, "/ws/open", "Origin: https://chat.example.com");
				RawClient refused = RawClient.handshake(this.port, "/ws/open", "Origin: https://example.org")) {
			assertThat(allowed.status()).isEqualTo(101);
			assertThat(refused.status()).isEqualTo(403);
		}
	}

	@Test
	void abruptResetLeavesEverySubscription() throws Exception {
		RawClient client = RawClient.handshake(this.port, "/ws/echo?id=reset");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.echo.channel("reset") != null);
		Channel channel = this.echo.channel("reset");
		this.registry.subscribe(channel, "resetters");
		client.reset();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.registry.isOpen(channel)).isFalse();
			assertThat(this.registry.app("echo").subscribers("resetters")).isEmpty();
			assertThat(this.registry.subscribers("/ws/echo")).doesNotContain(channel);
			assertThat(this.echo.closeStatus(channel)).isNotNull();
		});
		assertThat(this.echo.closeStatus(channel).getCode()).isEqualTo(1006);
		assertThat(this.echo.error(channel)).as("transport error before the close").isInstanceOf(IOException.class);
	}

	@Test
	void wrongVersionIsRefusedWith426NamingTheSupportedVersion() throws Exception {
		try (RawClient client = RawClient.request(this.port,
				"GET /ws/echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")) {
			assertThat(client.status()).isEqualTo(426);
			assertThat(client.header("Sec-WebSocket-Version")).isEqualTo("13");
		}
	}

	@Test
	void requestWithoutUpgradeIsRefusedWith400() throws Exception {
		try (RawClient client = RawClient.request(this.port,
				"GET /ws/echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) {
			assertThat(client.status()).isEqualTo(400);
		}
	}

	@Test
	void refusedOriginOfSevenKilobytesMakesAShortLogLine(CapturedOutput output) throws Exception {
		String origin = "https://" + "a".repeat(7000) + ".example.org";
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=long-origin", "Origin: " + origin)) {
			assertThat(client.status()).isEqualTo(403);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("https://aaaa"));
		String line = output.getAll()
			.lines()
			.filter((logged) -> logged.contains("Origin https://aaaa"))
			.findFirst()
			.orElseThrow();
		assertThat(line).hasSizeLessThan(600).contains("a…").doesNotContain(".example.org");
	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoApp.class)
	static class TestApp {

		@Bean
		@WebSocketApp("open")
		ChannelHandler openHandler() {
			return new ChannelHandler() {
			};
		}

	}

}
