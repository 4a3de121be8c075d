package dev.websocketstarter.registry;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Inflater;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tests of {@link RawProtocolIntegrationTests} on Tomcat's WebSocket layer, which
 * serves an app with permessage-deflate, and compression on it. Both apps take
 * permessage-deflate from {@code websocket.defaults}.
 */
@SpringBootTest(classes = { EchoApp.class, RawProtocolIntegrationTests.PlainApp.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.ping-interval=200ms",
				"websocket.apps.echo.max-message-size=1KB", "websocket.defaults.permessage-deflate=true",
				"websocket.apps.echo.message-time-limit=1s", "websocket.apps.plain.urls=/ws/plain",
				"websocket.apps.plain.ping-interval=0", "websocket.apps.plain.max-message-size=1KB" })
class ContainerRawProtocolIntegrationTests extends RawProtocolIntegrationTests {

	@Test
	void textIsCompressedForAPeerThatNegotiatedPermessageDeflate() throws Exception {
		String text = "compress me ".repeat(100);
		try (RawClient client = RawClient.handshake(this.port, "/ws/plain?id=deflate",
				"Sec-WebSocket-Extensions: permessage-deflate")) {
			assertThat(client.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
			await().atMost(WAIT).until(() -> this.plain.channel("deflate") != null);
			this.registry.send(this.plain.channel("deflate"), text);
			DataInputStream input = new DataInputStream(client.input());
			int first = skipPings(input);
			assertThat(first).as("FIN, RSV1 for compressed and text opcode").isEqualTo(0xC1);
			int length = input.readUnsignedByte();
			assertThat(length).as("compressed to a short frame").isLessThan(126);
			// RFC 7692: the sender removed the empty block's tail, the receiver puts it
			// back
			ByteArrayOutputStream compressed = new ByteArrayOutputStream();
			compressed.write(input.readNBytes(length));
			compressed.write(new byte[] { 0, 0, (byte) 0xFF, (byte) 0xFF });
			Inflater inflater = new Inflater(true);
			inflater.setInput(compressed.toByteArray());
			byte[] inflated = new byte[text.length() * 2];
			int size = inflater.inflate(inflated);
			inflater.end();
			assertThat(new String(inflated, 0, size, StandardCharsets.UTF_8)).isEqualTo(text);
		}
	}

}
