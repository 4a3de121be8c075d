package dev.websocketstarter.registry;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.Opcode;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for pings, fragments and protocol errors on the starter's transport, speaking raw
 * RFC 6455 frames built with the starter's codec.
 */
@SpringBootTest(classes = { EchoApp.class, RawProtocolIntegrationTests.PlainApp.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.ping-interval=200ms",
				"websocket.apps.echo.max-message-size=1KB", "websocket.apps.echo.message-time-limit=1s",
				"websocket.apps.plain.urls=/ws/plain", "websocket.apps.plain.ping-interval=0",
				"websocket.apps.plain.max-message-size=1KB" })
class RawProtocolIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	ChannelRegistry registry;

	@Autowired
	@Qualifier("echoHandler")
	RecordingHandler echo;

	/**
	 * The app {@code plain}, which never pings: for tests that read frames by hand, with
	 * no ping window to send within.
	 */
	@Autowired
	@Qualifier("plainHandler")
	RecordingHandler plain;

	private RawClient connect(String id, boolean answerPings) throws Exception {
		RawClient client = RawClient.handshake(this.port, "/ws/echo?id=" + id).startReading(answerPings);
		await().atMost(WAIT).until(() -> this.echo.channel(id) != null);
		return client;
	}

	@Test
	void peerThatAnswersPingsStaysOpen() throws Exception {
		try (RawClient client = connect("live", true)) {
			await().atMost(WAIT).until(() -> client.pings().size() >= 3);
			assertThat(this.registry.isOpen(this.echo.channel("live"))).isTrue();
			assertThat(client.closeCode()).isNull();
		}
	}

	@Test
	void peerThatLeavesAPingUnansweredIsClosedWith1001() throws Exception {
		try (RawClient client = connect("deaf", false)) {
			await().atMost(WAIT).until(() -> client.closeCode() != null);
			assertThat(client.pings()).isNotEmpty();
			assertThat(client.closeCode()).isEqualTo(1001);
			assertThat(client.closeReason()).isEqualTo("Ping timeout");
			assertThat(this.registry.isOpen(this.echo.channel("deaf"))).isFalse();
		}
	}

	@Test
	void pingFromThePeerIsAnsweredWithItsPayload() throws Exception {
		try (RawClient client = connect("pinger", true)) {
			client.send(Frame.ping("are you there?".getBytes(StandardCharsets.UTF_8)));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(client.pongs()).singleElement()
					.isEqualTo("are you there?".getBytes(StandardCharsets.UTF_8)));
		}
	}

	@Test
	void fragmentedMessageWithPingBetweenFragmentsArrivesWhole() throws Exception {
		try (RawClient client = connect("fragments", true)) {
			client.send(new Frame(false, Opcode.TEXT, "echo:Hel".getBytes(StandardCharsets.UTF_8)));
			client.send(Frame.ping(new byte[] { 1 }));
			client.send(Frame.continuation("lo, ".getBytes(StandardCharsets.UTF_8), false));
			client.send(Frame.continuation("wörld".getBytes(StandardCharsets.UTF_8), true));
			await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("Hello, wörld"));
		}
	}

	@Test
	void messageTrickledInFragmentsIsBounded() throws Exception {
		try (RawClient client = connect("trickle", true)) {
			long started = System.nanoTime();
			client.send(new Frame(false, Opcode.TEXT, "echo:".getBytes(StandardCharsets.UTF_8)));
			// A fragment now and then, and every ping answered: alive, but the message
			// never ends
			byte[] fragment = new byte[boundsMessageTime() ? 1 : 100];
			await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
				if (client.closeCode() == null) {
					client.send(Frame.continuation(fragment, false));
				}
				return client.closeCode() != null || client.isEndOfStream();
			});
			if (boundsMessageTime()) {
				assertThat(client.closeCode()).isEqualTo(1008);
				assertThat(client.closeReason()).isEqualTo("Message too slow");
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			}
			else {
				// Jetty joins the fragments before the handler hears of them: only its
				// size is bounded, by max-message-size
				assertThat(client.closeCode()).isEqualTo(1009);
			}
			assertThat(client.texts()).isEmpty();
		}
	}

	/**
	 * Whether the transport bounds how long a message in fragments may take: the
	 * starter's and Tomcat's, which pass fragments on; not Jetty's.
	 */
	protected boolean boundsMessageTime() {
		return true;
	}

	@Test
	void fragmentedMessageOverTheLimitClosesWith1009() throws Exception {
		try (RawClient client = connect("fragmented-big", true)) {
			client.send(new Frame(false, Opcode.TEXT, "a".repeat(600).getBytes(StandardCharsets.UTF_8)));
			client.send(Frame.continuation("b".repeat(600).getBytes(StandardCharsets.UTF_8), true));
			await().atMost(WAIT).until(() -> client.closeCode() != null);
			assertThat(client.closeCode()).isEqualTo(1009);
		}
	}

	@Test
	void reservedBitsCloseWith1002() throws Exception {
		assertClosedWith("rsv", FrameEncoder.encode(true, 4, Opcode.TEXT.code(), new byte[] { 'x' }, new byte[4]),
				1002);
	}

	@Test
	void unmaskedClientFrameClosesWith1002() throws Exception {
		assertClosedWith("unmasked", FrameEncoder.encode(Frame.text("hi")), 1002);
	}

	@Test
	void invalidUtf8ClosesWith1007() throws Exception {
		assertClosedWith("utf8",
				FrameEncoder.encode(true, 0, Opcode.TEXT.code(), new byte[] { (byte) 0xC3, 0x28 }, new byte[4]), 1007);
	}

	@Test
	void answeredCloseFrameEndsTheConnection() throws Exception {
		try (RawClient client = connect("polite", true)) {
			Channel channel = this.echo.channel("polite");
			this.registry.close(channel, CloseStatus.GOING_AWAY);
			await().atMost(WAIT).until(() -> client.closeCode() != null);
			client.send(Frame.close(1001, ""));
			// Well within send-time-limit (10s), after which the server would give up on
			// an answer and close anyway
			await().atMost(Duration.ofSeconds(5)).until(client::isEndOfStream);
			assertThat(client.closeCode()).isEqualTo(1001);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.echo.closeStatus(channel)).isEqualTo(CloseStatus.GOING_AWAY));
		}
	}

	@Test
	void longTextGoesOutAsOneFrameAndArrivesWhole() throws Exception {
		// Tomcat's public sendText would split it at its 1KB encoding buffer, unless the
		// starter hands it to Tomcat's frame writer
		String text = "é".repeat(10_000);
		try (RawClient client = RawClient.handshake(this.port, "/ws/plain?id=long")) {
			await().atMost(WAIT).until(() -> this.plain.channel("long") != null);
			this.registry.send(this.plain.channel("long"), text);
			DataInputStream input = new DataInputStream(client.input());
			int first = skipPings(input);
			assertThat(first).as("FIN and text opcode").isEqualTo(0x81);
			assertThat(input.readUnsignedByte()).as("16-bit length follows").isEqualTo(126);
			assertThat(input.readUnsignedShort()).isEqualTo(20_000);
			byte[] payload = input.readNBytes(20_000);
			assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo(text);
		}
	}

	/**
	 * Read frames up to the first that is not a server ping.
	 * @return the first byte of that frame; the stream is at its second byte
	 */
	static int skipPings(DataInputStream input) throws IOException {
		int first = input.readUnsignedByte();
		while ((first & 0x0F) == Opcode.PING.code()) {
			input.skipNBytes(input.readUnsignedByte());
			first = input.readUnsignedByte();
		}
		return first;
	}

	private void assertClosedWith(String id, byte[] frame, int code) throws Exception {
		try (RawClient client = connect(id, true)) {
			client.write(frame);
			await().atMost(WAIT).until(() -> client.closeCode() != null);
			assertThat(client.closeCode()).isEqualTo(code);
			await().atMost(WAIT).until(() -> !this.registry.isOpen(this.echo.channel(id)));
		}
	}

	@Test
	void upgradeOverHttp10IsRefusedWith400() throws Exception {
		// RFC 6455 section 4.1: the handshake must be HTTP/1.1 or later
		try (RawClient client = RawClient.request(this.port,
				"GET /ws/echo?id=http10 HTTP/1.0\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
			assertThat(client.status()).isEqualTo(400);
			assertThat(client.header("Upgrade")).isNull();
		}
		assertThat(this.echo.channel("http10")).isNull();
	}

	@Configuration(proxyBeanMethods = false)
	static class PlainApp {

		@Bean
		@WebSocketApp("plain")
		RecordingHandler plainHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}
