package dev.websocketstarter.reliability;

import java.time.Duration;
import java.util.stream.Stream;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for refused WebSocket handshakes: each bad request gets its HTTP status, no
 * channel or subscription is registered, and the server keeps serving. Cases already in
 * {@code HandshakeIntegrationTests} (a foreign origin, a request without any upgrade
 * header, version 8) are not repeated.
 */
@SpringBootTest(classes = MirrorApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.mirror.urls=/ws/mirror" })
@ExtendWith(CaseCounter.class)
class HandshakeConformanceTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

	private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";

	private static final String VERSION = "Sec-WebSocket-Version: 13\r\n";

	@LocalServerPort
	private int port;

	@Autowired
	private LocalNode node;

	static Stream<Arguments> badHandshakes() {
		return Stream.of(refused("missing Sec-WebSocket-Key", "GET /ws/mirror", UPGRADE + VERSION, 400),
				refused("empty Sec-WebSocket-Key", "GET /ws/mirror", UPGRADE + VERSION + "Sec-WebSocket-Key: \r\n",
						400),
				refused("missing Upgrade header", "GET /ws/mirror", "Connection: Upgrade\r\n" + KEY + VERSION, 400),
				refused("Upgrade to another protocol", "GET /ws/mirror",
						"Upgrade: h2c\r\nConnection: Upgrade\r\n" + KEY + VERSION, 400),
				refused("missing Connection: Upgrade", "GET /ws/mirror", "Upgrade: websocket\r\n" + KEY + VERSION, 400),
				refused("missing Sec-WebSocket-Version", "GET /ws/mirror", UPGRADE + KEY, 426),
				refused("Sec-WebSocket-Version 12", "GET /ws/mirror", UPGRADE + KEY + "Sec-WebSocket-Version: 12\r\n",
						426),
				refused("Sec-WebSocket-Version 14", "GET /ws/mirror", UPGRADE + KEY + "Sec-WebSocket-Version: 14\r\n",
						426),
				refused("POST", "POST /ws/mirror", UPGRADE + KEY + VERSION + "Content-Length: 0\r\n", 405),
				refused("PUT", "PUT /ws/mirror", UPGRADE + KEY + VERSION + "Content-Length: 0\r\n", 405),
				refused("DELETE", "DELETE /ws/mirror", UPGRADE + KEY + VERSION, 405),
				refused("Origin null", "GET /ws/mirror", UPGRADE + KEY + VERSION + "Origin: null\r\n", 403),
				refused("Origin on another port", "GET /ws/mirror",
						UPGRADE + KEY + VERSION + "Origin: http://localhost:1\r\n", 403),
				refused("Origin with a look-alike host", "GET /ws/mirror",
						UPGRADE + KEY + VERSION + "Origin: http://localhost.example.org\r\n", 403),
				refused("URL of no app", "GET /ws/nothing", UPGRADE + KEY + VERSION, 404),
				refused("URL below an app URL", "GET /ws/mirror/deeper", UPGRADE + KEY + VERSION, 404),
				refused("app URL in another case", "GET /ws/MIRROR", UPGRADE + KEY + VERSION, 404));
	}

	private static Arguments refused(String name, String requestLine, String headers, int status) {
		return Arguments.of(Named.of(name, requestLine), headers, status);
	}

	@ParameterizedTest
	@MethodSource("badHandshakes")
	@Category("Refused handshakes")
	void badHandshakeGetsItsStatusAndRegistersNothing(String requestLine, String headers, int status) throws Exception {
		String request = requestLine + " HTTP/1.1\r\nHost: localhost:" + this.port + "\r\n" + headers
				+ "Connection: close\r\n\r\n";
		if (headers.contains("Connection: Upgrade")) {
			request = request.replace("Connection: close\r\n", "");
		}
		try (RawClient client = RawClient.request(this.port, request)) {
			assertThat(client.status()).isEqualTo(status);
			if (status == 426) {
				assertThat(client.header("Sec-WebSocket-Version")).isEqualTo("13");
			}
			if (status == 405) {
				assertThat(client.header("Allow")).contains("GET");
			}
			assertThat(client.header("Sec-WebSocket-Accept")).isNull();
		}
		assertThat(this.node.channelCount()).isZero();
		assertThat(this.node.subscriptionCounts()).isEmpty();
	}

	@AfterEach
	void serverStillServesAndHoldsNoChannel() throws Exception {
		try (RawClient fresh = RawClient.handshake(this.port, "/ws/mirror").startReading(true)) {
			assertThat(fresh.status()).isEqualTo(101);
			fresh.send(Frame.text("still serving"));
			await().atMost(WAIT).untilAsserted(() -> assertThat(fresh.texts()).containsExactly("still serving"));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.node.channelCount()).isZero());
	}

}
