package dev.websocketstarter.registry;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link ChannelRegistry} of a node and the events its handler hears, on a
 * real server with the JDK's WebSocket client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo,/ws/echo2", "websocket.apps.echo.max-message-size=1KB",
				"websocket.apps.quiet.urls=/ws/quiet", "websocket.apps.quiet.auto-subscribe=false",
				"websocket.apps.quiet.idle-timeout=2s", "websocket.apps.quiet.ping-interval=0" })
class ChannelRegistryIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

	@Autowired
	@Qualifier("quietHandler")
	private RecordingHandler quiet;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(this.port, pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	private Channel channel(RecordingHandler handler, String id) {
		return handler.awaitChannel(id);
	}

	@Test
	void sendReachesOnlyThatChannel() {
		WebSocketTestClient alice = connect("/ws/echo?id=send-a");
		WebSocketTestClient bob = connect("/ws/echo?id=send-b");
		Channel aliceChannel = channel(this.echo, "send-a");
		Channel bobChannel = channel(this.echo, "send-b");
		assertThat(this.registry.send(aliceChannel, "for alice")).isEqualTo(SendResult.QUEUED);
		assertThat(this.registry.send(bobChannel, "for bob")).isEqualTo(SendResult.QUEUED);
		await().atMost(WAIT).untilAsserted(() -> assertThat(alice.texts()).containsExactly("for alice"));
		await().atMost(WAIT).untilAsserted(() -> assertThat(bob.texts()).containsExactly("for bob"));
	}

	@Test
	void handshakeFactsReachTheHandler() throws Exception {
		WebSocketTestClient client = WebSocketTestClient
			.to(URI.create("ws://localhost:" + this.port + "/ws/echo?id=facts&name=J%C3%BCrgen+x&tag=a&tag=b"))
			.httpClient(HttpClient.newHttpClient())
			.open();
		this.clients.add(client);
		channel(this.echo, "facts");
		Handshake handshake = this.echo.handshake("facts");
		assertThat(handshake.url()).isEqualTo("/ws/echo");
		assertThat(handshake.uri().getPath()).isEqualTo("/ws/echo");
		assertThat(handshake.queryParameter("name")).isEqualTo("Jürgen+x");
		assertThat(handshake.queryParameters().get("tag")).containsExactly("a", "b");
		assertThat(handshake.headers().getFirst("Sec-WebSocket-Version")).isEqualTo("13");
		assertThat(handshake.principal()).isNull();
		assertThat(handshake.remoteAddress()).isNotNull();
		assertThat(handshake.remoteAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
	}

	@Test
	void handlerCanAnswerOnItsChannel() {
		WebSocketTestClient client = connect("/ws/echo?id=echo");
		client.send("echo:hello");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("hello"));
	}

	@Test
	void binaryMessagesRoundTrip() {
		WebSocketTestClient client = connect("/ws/echo?id=binary");
		byte[] data = { 0, 1, 2, (byte) 0xff };
		client.send(data);
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.binaries()).singleElement().isEqualTo(data));
	}

	@Test
	void messagesLargerThanAFrameAndTheContainerBufferArriveWhole() {
		WebSocketTestClient client = connect("/ws/echo?id=large");
		Channel channel = channel(this.echo, "large");
		String medium = "m".repeat(126);
		String large = "ü".repeat(70_000);
		this.registry.send(channel, medium);
		this.registry.send(channel, large);
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly(medium, large));
	}

	@Test
	void multicastSkipsExcludedChannel() {
		WebSocketTestClient alice = connect("/ws/echo?id=multi-a");
		WebSocketTestClient bob = connect("/ws/echo?id=multi-b");
		WebSocketTestClient carol = connect("/ws/echo?id=multi-c");
		Channel aliceChannel = channel(this.echo, "multi-a");
		channel(this.echo, "multi-b");
		channel(this.echo, "multi-c");
		this.registry.subscribe(aliceChannel, "multi");
		this.registry.subscribe(this.echo.channel("multi-b"), "multi");
		this.registry.subscribe(this.echo.channel("multi-c"), "multi");
		assertThat(this.registry.app("echo").multicast("multi", "from alice", aliceChannel)).isEqualTo(2);
		this.registry.send(aliceChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(bob.texts()).containsExactly("from alice");
			assertThat(carol.texts()).containsExactly("from alice");
			assertThat(alice.texts()).containsExactly("marker");
		});
	}

	@Test
	void twoUrlsOfOneAppAreSeparateSubscriptions() {
		WebSocketTestClient first = connect("/ws/echo?id=room-1");
		WebSocketTestClient second = connect("/ws/echo2?id=room-2");
		Channel firstChannel = channel(this.echo, "room-1");
		Channel secondChannel = channel(this.echo, "room-2");
		assertThat(this.registry.subscriptions(firstChannel)).containsExactly("/ws/echo");
		assertThat(this.registry.subscriptions(secondChannel)).containsExactly("/ws/echo2");
		assertThat(this.registry.subscribers("/ws/echo2")).containsExactly(secondChannel);
		this.registry.multicast("/ws/echo", "room one");
		this.registry.multicast("/ws/echo2", "room two");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(first.texts()).containsExactly("room one");
			assertThat(second.texts()).containsExactly("room two");
		});
	}

	@Test
	void unsubscribedChannelNoLongerReceivesMulticasts() {
		WebSocketTestClient alice = connect("/ws/echo?id=unsub-a");
		WebSocketTestClient bob = connect("/ws/echo?id=unsub-b");
		Channel aliceChannel = channel(this.echo, "unsub-a");
		Channel bobChannel = channel(this.echo, "unsub-b");
		assertThat(this.registry.subscribe(aliceChannel, "news")).isTrue();
		assertThat(this.registry.subscribe(aliceChannel, "news")).isFalse();
		assertThat(this.registry.subscribe(bobChannel, "news")).isTrue();
		assertThat(this.registry.app("echo").subscriberCount("news")).isEqualTo(2);
		this.registry.app("echo").multicast("news", "one");
		assertThat(this.registry.unsubscribe(bobChannel, "news")).isTrue();
		assertThat(this.registry.unsubscribe(bobChannel, "news")).isFalse();
		this.registry.app("echo").multicast("news", "two");
		this.registry.send(bobChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(alice.texts()).containsExactly("one", "two");
			assertThat(bob.texts()).containsExactly("one", "marker");
		});
		assertThat(this.registry.app("echo").subscribers("news")).containsExactly(aliceChannel);
		assertThat(this.registry.subscriptions(aliceChannel)).containsExactlyInAnyOrder("/ws/echo", "news");
	}

	@Test
	void closedChannelLeavesEverySubscriptionAndSendingToItReportsClosed() {
		WebSocketTestClient client = connect("/ws/echo?id=leaver");
		Channel channel = channel(this.echo, "leaver");
		this.registry.subscribe(channel, "leavers");
		client.close();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.echo.closeStatus(channel)).isNotNull();
			assertThat(this.registry.app("echo").subscribers("leavers")).isEmpty();
			assertThat(this.registry.subscribers("/ws/echo")).doesNotContain(channel);
		});
		assertThat(this.echo.closeStatus(channel).getCode()).isEqualTo(1000);
		assertThat(this.registry.subscriptions(channel)).isEmpty();
		assertThat(this.registry.isOpen(channel)).isFalse();
		assertThat(this.registry.send(channel, "anyone there?")).isEqualTo(SendResult.CLOSED);
		assertThat(this.registry.subscribe(channel, "leavers")).isFalse();
		assertThat(this.registry.close(channel, CloseStatus.NORMAL)).isFalse();
	}

	@Test
	void closeWritesQueuedMessagesFirst() {
		WebSocketTestClient client = connect("/ws/echo?id=closer");
		Channel channel = channel(this.echo, "closer");
		IntStream.range(0, 200).forEach((i) -> this.registry.send(channel, "message " + i));
		assertThat(this.registry.close(channel, new CloseStatus(4000, "done"))).isTrue();
		assertThat(this.registry.isOpen(channel)).isFalse();
		assertThat(this.registry.subscriptions(channel)).isEmpty();
		assertThat(this.registry.send(channel, "too late")).isEqualTo(SendResult.CLOSED);
		assertThat(client.awaitClose().getCode()).isEqualTo(4000);
		assertThat(client.awaitClose().getReason()).isEqualTo("done");
		assertThat(client.texts()).hasSize(200).startsWith("message 0").endsWith("message 199");
	}

	@Test
	void oversizeMessageClosesTheChannelWith1009() {
		WebSocketTestClient client = connect("/ws/echo?id=big");
		Channel channel = channel(this.echo, "big");
		client.send("x".repeat(1025));
		assertThat(client.awaitClose().getCode()).isEqualTo(1009);
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.echo.closeStatus(channel)).isNotNull());
		assertThat(this.echo.texts()).doesNotContain("x".repeat(1025));
	}

	@Test
	void messageAtTheLimitIsAccepted() {
		WebSocketTestClient client = connect("/ws/echo?id=limit");
		String payload = "ä".repeat(509) + "x";
		String atLimit = "echo:" + payload;
		assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		client.send(atLimit);
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly(payload));
	}

	@Test
	void failingHandlerClosesItsChannelWith1011AndOthersCarryOn() {
		WebSocketTestClient failing = connect("/ws/echo?id=failing");
		WebSocketTestClient other = connect("/ws/echo?id=bystander");
		channel(this.echo, "failing");
		failing.send("fail");
		assertThat(failing.awaitClose().getCode()).isEqualTo(1011);
		other.send("echo:still here");
		await().atMost(WAIT).untilAsserted(() -> assertThat(other.texts()).containsExactly("still here"));
	}

	@Test
	void idleChannelIsClosedWith1001AndWasNotAutoSubscribed() {
		WebSocketTestClient client = connect("/ws/quiet?id=idle");
		Channel channel = channel(this.quiet, "idle");
		WebSocketTestClient subscribed = connect("/ws/echo?id=auto-subscribed");
		Channel autoSubscribed = channel(this.echo, "auto-subscribed");
		// Read while it is still open: a closed channel has no subscriptions either
		assertThat(this.registry.subscriptions(channel)).isEmpty();
		assertThat(this.registry.isOpen(channel)).isTrue();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.registry.subscriptions(autoSubscribed)).containsExactly("/ws/echo"));
		subscribed.close();
		assertThat(client.awaitClose().getCode()).isEqualTo(1001);
		assertThat(client.awaitClose().getReason()).isEqualTo("Idle timeout");
	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoApp.class)
	static class TestApp {

		@Bean
		@WebSocketApp("quiet")
		RecordingHandler quietHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}
