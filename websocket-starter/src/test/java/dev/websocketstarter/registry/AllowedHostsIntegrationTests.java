package dev.websocketstarter.registry;

import dev.websocketstarter.internal.channel.AppStats.HandshakeRefusal;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code websocket.allowed-hosts}: a page on a DNS-rebinding attacker's name
 * sends Host and Origin both of that name, which the default same-origin check accepts.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.allowed-hosts=localhost,Chat.Example.com" })
class AllowedHostsIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RecordingHandler echo;

	@Autowired
	private LocalNode node;

	@Test
	void rebindingRequestWithTheAttackersHostAndOriginIsRefused() throws Exception {
		long refusedBefore = this.node.stats().app("echo").refused(HandshakeRefusal.HOST);
		try (RawClient client = RawClient.request(this.port,
				upgrade("rebound", "rebind.attacker.example", "Origin: http://rebind.attacker.example:" + this.port))) {
			assertThat(client.status()).isEqualTo(403);
		}
		assertThat(this.echo.channel("rebound")).isNull();
		assertThat(this.node.stats().app("echo").refused(HandshakeRefusal.HOST)).isEqualTo(refusedBefore + 1);
	}

	@Test
	void allowedHostsAreAcceptedWithTheirOwnOriginInAnyCase() throws Exception {
		try (RawClient local = RawClient.request(this.port,
				upgrade("local", "localhost", "Origin: http://localhost:" + this.port));
				RawClient named = RawClient.request(this.port, upgrade("named", "chat.example.COM", ""))) {
			assertThat(local.status()).isEqualTo(101);
			assertThat(named.status()).isEqualTo(101);
		}
	}

	private String upgrade(String id, String host, String extraHeader) {
		return "GET /ws/echo?id=" + id + " HTTP/1.1\r\nHost: " + host + ":" + this.port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n" + (extraHeader.isEmpty() ? "" : extraHeader + "\r\n") + "\r\n";
	}

}
