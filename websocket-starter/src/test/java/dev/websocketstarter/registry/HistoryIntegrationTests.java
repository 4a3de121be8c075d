package dev.websocketstarter.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.ReconnectingReaders;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for history and recovery on one node: a subscription that keeps history wraps its
 * multicasts with offsets, keeps them within its bounds, and a client that reconnects
 * with its position gets exactly what it missed before anything live, or is told it
 * cannot. The app {@code echo} keeps the history of its URL and of {@code room-*}; the
 * app {@code bounded} keeps little, for a short time.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.auto-subscribe=false",
				"websocket.apps.echo.history.subscriptions=/ws/echo,room-*", "websocket.apps.echo.history.size=2000",
				"websocket.apps.bounded.urls=/ws/bounded", "websocket.apps.bounded.history.subscriptions=*",
				"websocket.apps.bounded.history.size=5", "websocket.apps.bounded.history.max-bytes=40B",
				"websocket.apps.bounded.history.max-age=2s", "websocket.apps.reconnecting.urls=/ws/reconnecting",
				"websocket.apps.reconnecting.auto-subscribe=false",
				"websocket.apps.reconnecting.history.subscriptions=room-*",
				"websocket.apps.reconnecting.history.size=30000", "websocket.apps.reconnecting.send-buffer-limit=8MB" })
class HistoryIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicLong ids = new AtomicLong();

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

	@Autowired
	@Qualifier("boundedHandler")
	private RecordingHandler bounded;

	@Autowired
	@Qualifier("reconnectingHandler")
	private RecordingHandler reconnecting;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void subscriberIsToldWhereItJoinedAndGetsEachMulticastWrappedWithTheNextOffset() {
		String room = room();
		this.registry.app("echo").multicast(room, "before");
		Subscriber alice = subscribe(room, null);
		JsonNode subscribed = alice.awaitFrames(1).get(0);
		assertThat(subscribed.get("ws").stringValue()).isEqualTo("subscribed");
		assertThat(subscribed.get("sub").stringValue()).isEqualTo(room);
		assertThat(subscribed.get("offset").longValue()).isEqualTo(1);
		assertThat(subscribed.get("recovery").stringValue()).isEqualTo("none");
		assertThat(subscribed.get("missed").intValue()).isZero();

		this.registry.app("echo").multicast(room, "first \"quoted\"\n");
		this.registry.app("echo").multicast(room, "second");
		List<JsonNode> frames = alice.awaitFrames(3);
		assertThat(frames.subList(1, 3))
			.extracting((frame) -> frame.get("ws").stringValue(), (frame) -> frame.get("offset").longValue(),
					(frame) -> frame.get("data").stringValue(), (frame) -> frame.get("epoch").stringValue())
			.containsExactly(tuple("pub", 2L, "first \"quoted\"\n", epoch(subscribed)),
					tuple("pub", 3L, "second", epoch(subscribed)));
		assertThat(alice.client().texts()).allMatch((text) -> text.startsWith("{\"ws\":\""));
	}

	@Test
	void clientThatMissedOneMessageGetsItBeforeAnythingLive() {
		assertRecovers(1);
	}

	@Test
	void clientThatMissedAHundredMessagesGetsThemAllInOrderOnce() {
		assertRecovers(100);
	}

	private void assertRecovers(int missed) {
		String room = room();
		Subscriber alice = subscribe(room, null);
		JsonNode subscribed = alice.awaitFrames(1).get(0);
		this.registry.app("echo").multicast(room, "seen");
		JsonNode seen = alice.awaitFrames(2).get(1);
		alice.client().close();
		IntStream.rangeClosed(1, missed).forEach((i) -> this.registry.app("echo").multicast(room, "missed " + i));

		Subscriber back = subscribe(room, epoch(subscribed) + ":" + seen.get("offset").longValue() + ":" + room);
		List<JsonNode> recovered = back.awaitFrames(1 + missed);
		assertThat(recovered.get(0).get("recovery").stringValue()).isEqualTo("recovered");
		assertThat(recovered.get(0).get("missed").intValue()).isEqualTo(missed);
		assertThat(recovered.get(0).get("offset").longValue()).isEqualTo(1 + missed);
		assertThat(recovered.subList(1, 1 + missed)).extracting((frame) -> frame.get("data").stringValue())
			.containsExactlyElementsOf(IntStream.rangeClosed(1, missed).mapToObj((i) -> "missed " + i).toList());
		this.registry.app("echo").multicast(room, "live");
		List<JsonNode> all = back.awaitFrames(2 + missed);
		assertThat(all.get(1 + missed).get("data").stringValue()).isEqualTo("live");
		assertThat(all).hasSize(2 + missed);
	}

	@Test
	void clientThatMissedMoreThanTheWindowOrComesFromAnotherEpochIsToldItCannotRecover() {
		String room = room();
		Subscriber alice = subscribe(room, null);
		String epoch = epoch(alice.awaitFrames(1).get(0));
		IntStream.rangeClosed(1, 2010).forEach((i) -> this.registry.app("echo").multicast(room, "message " + i));

		for (String position : List.of(epoch + ":0:" + room, epoch + ":9:" + room, "otherepoch:1500:" + room,
				epoch + ":9999:" + room)) {
			Subscriber back = subscribe(room, position);
			JsonNode subscribed = back.awaitFrames(1).get(0);
			assertThat(subscribed.get("recovery").stringValue()).as(position).isEqualTo("not-recoverable");
			assertThat(subscribed.get("missed").intValue()).isZero();
			assertThat(subscribed.get("offset").longValue()).isEqualTo(2010);
		}
		Subscriber lastKept = subscribe(room, epoch + ":10:" + room);
		List<JsonNode> recovered = lastKept.awaitFrames(2001);
		assertThat(recovered.get(0).get("recovery").stringValue()).isEqualTo("recovered");
		assertThat(recovered.get(1).get("data").stringValue()).isEqualTo("message 11");
	}

	@Test
	void clientWhoseMissedMessagesOutgrowHalfItsSendBufferIsToldItCannotRecoverAndStaysOpen() {
		String room = room();
		Subscriber alice = subscribe(room, null);
		String epoch = epoch(alice.awaitFrames(1).get(0));
		alice.client().close();
		// Quotes double in the pub frame's escaped data: 300 of them take about 600 KB,
		// more than the whole 512 KB send buffer
		String quotes = "\"".repeat(1000);
		IntStream.rangeClosed(1, 300).forEach((i) -> this.registry.app("echo").multicast(room, quotes));

		Subscriber back = subscribe(room, epoch + ":0:" + room);
		JsonNode subscribed = back.awaitFrames(1).get(0);
		assertThat(subscribed.get("recovery").stringValue()).isEqualTo("not-recoverable");
		assertThat(subscribed.get("missed").intValue()).isZero();
		this.registry.app("echo").multicast(room, "live");
		assertThat(back.awaitFrames(2).get(1).get("data").stringValue()).isEqualTo("live");
		assertThat(back.client().isClosed()).isFalse();
	}

	@Test
	void malformedPositionsAreLeftOutAndTheirSubscriptionIsJoinedWithoutRecovery() {
		String room = room();
		for (String position : List.of("", "nocolon", "epoch:abc:" + room, "EPOCH:1:" + room, "e:1:")) {
			Subscriber client = subscribe(room, position);
			assertThat(client.awaitFrames(1).get(0).get("recovery").stringValue()).as(position).isEqualTo("none");
		}
	}

	@Test
	void lastMessagesAndMessagesSinceAnOffsetAreReadByUserCode() {
		String room = room();
		ChannelRegistry echoRegistry = this.registry.app("echo");
		IntStream.rangeClosed(1, 5).forEach((i) -> echoRegistry.multicast(room, "m" + i));

		History last = echoRegistry.history(room, 3);
		assertThat(last.offset()).isEqualTo(5);
		assertThat(last.complete()).isTrue();
		assertThat(last.messages()).extracting(HistoryMessage::offset, HistoryMessage::text)
			.containsExactly(tuple(3L, "m3"), tuple(4L, "m4"), tuple(5L, "m5"));
		assertThat(echoRegistry.history(room, 0).messages()).isEmpty();

		History since = echoRegistry.history(room, last.epoch(), 2);
		assertThat(since.complete()).isTrue();
		assertThat(since.messages()).extracting(HistoryMessage::text).containsExactly("m3", "m4", "m5");
		assertThat(echoRegistry.history(room, last.epoch(), 5).messages()).isEmpty();
		assertThat(echoRegistry.history(room, "other", 2).complete()).isFalse();
		assertThat(this.registry.history("/ws/echo", 1).subscription()).isEqualTo("/ws/echo");
	}

	@Test
	void historyIsBoundedByCountBytesAndAge() {
		ChannelRegistry boundedRegistry = this.registry.app("bounded");
		IntStream.rangeClosed(1, 8).forEach((i) -> boundedRegistry.multicast("count", "c" + i));
		assertThat(boundedRegistry.history("count", 100).messages()).extracting(HistoryMessage::text)
			.containsExactly("c4", "c5", "c6", "c7", "c8");

		// 40 bytes hold three messages of 12
		IntStream.rangeClosed(1, 4).forEach((i) -> boundedRegistry.multicast("bytes", "0123456789a" + i));
		assertThat(boundedRegistry.history("bytes", 100).messages()).extracting(HistoryMessage::text)
			.containsExactly("0123456789a2", "0123456789a3", "0123456789a4");
		// 15 characters of two bytes each: with one of 12 before, 42 bytes, though only
		// 27
		// characters
		boundedRegistry.multicast("bytes", "é".repeat(15));
		assertThat(boundedRegistry.history("bytes", 100).messages()).extracting(HistoryMessage::text)
			.containsExactly("é".repeat(15));

		boundedRegistry.multicast("age", "old");
		await().atMost(WAIT).until(() -> boundedRegistry.history("age", 10).messages().isEmpty());
		assertThat(boundedRegistry.history("age", 10).offset()).isEqualTo(1);
	}

	@Test
	void binaryMulticastsAndReadsOfSubscriptionsWithoutHistoryAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.registry.app("echo").multicast(room(), new byte[] { 1 }))
			.withMessageContaining("keeps history, which holds text messages");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.app("echo").history("no-history", 1))
			.withMessageContaining("keeps no history");
		assertThat(this.registry.app("echo").multicast("no-history", new byte[] { 1 })).isZero();
	}

	@Test
	void underAThousandMessagesASecondAHundredClientsReconnectingMissNothingAndGetNothingTwice() throws Exception {
		String room = room();
		HttpClient http = HttpClient.newHttpClient();
		// The app keeps 30 s of history: a reconnect on a busy machine can take seconds,
		// and
		// what is tested is that a gap the history holds is recovered whole
		ReconnectingReaders.run(room, (text) -> this.registry.app("reconnecting").multicast(room, text),
				(reader, session, position) -> subscribe(http, "reconnecting", room, position));
	}

	private static String epoch(JsonNode frame) {
		return frame.get("epoch").stringValue();
	}

	private static String room() {
		return "room-" + ids.incrementAndGet();
	}

	private Subscriber subscribe(String room, String position) {
		Subscriber subscriber = subscribe(HttpClient.newHttpClient(), "echo", room, position);
		this.clients.add(subscriber.client());
		return subscriber;
	}

	/**
	 * Connect a client to an app, asking to recover from a position when there is one,
	 * and subscribe it to a room.
	 */
	private Subscriber subscribe(HttpClient http, String app, String room, String position) {
		String id = "history-" + ids.incrementAndGet();
		String query = "?id=" + id
				+ ((position != null) ? "&recover=" + URLEncoder.encode(position, StandardCharsets.UTF_8) : "");
		WebSocketTestClient client = WebSocketTestClient
			.to(URI.create("ws://localhost:" + this.port + "/ws/" + app + query))
			.httpClient(http)
			.open();
		Channel channel = ("echo".equals(app) ? this.echo : this.reconnecting).awaitChannel(id);
		assertThat(this.registry.app(app).subscribe(channel, room)).isTrue();
		return new Subscriber(client);
	}

	record Subscriber(WebSocketTestClient client) implements ReconnectingReaders.Session {

		@Override
		public void close() {
			this.client.close();
		}

		/**
		 * Wait for a number of frames and return them, parsed; fails if more came.
		 */
		@Override
		public List<JsonNode> awaitFrames(int count) {
			await().atMost(WAIT).until(() -> this.client.texts().size() >= count);
			return List.copyOf(this.client.texts()).subList(0, count).stream().map(json::readTree).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoApp.class)
	static class HistoryApps {

		@Bean
		@WebSocketApp("bounded")
		RecordingHandler boundedHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

		@Bean
		@WebSocketApp("reconnecting")
		RecordingHandler reconnectingHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}
