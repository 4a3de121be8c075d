package dev.websocketstarter.cluster;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.HistoryMessage;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.ReconnectingReaders;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for history and recovery across nodes sharing a real Redis server: every node
 * delivers a subscription's multicasts with the same offsets in the same order, a client
 * recovers on another node than the one it left, the history outlives a node, a Redis
 * flush changes the epoch, and a hundred clients reconnecting to either node under a
 * thousand messages a second miss nothing and get nothing twice.
 */
class ClusterHistoryIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PREFIX = "history";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicLong ids = new AtomicLong();

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = TwoNodes.start(PREFIX, EchoApp.class, "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.auto-subscribe=false", "websocket.apps.echo.history.subscriptions=room-*",
				"websocket.apps.echo.history.size=5000");
		a = cluster.a();
		b = cluster.b();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void multicastsFromEitherNodeReachSubscribersOnBothWithTheSameOffsetsInTheSameOrder() {
		String room = room();
		Subscriber onA = subscribe(a, room, null);
		Subscriber onB = subscribe(b, room, null);
		onA.awaitFrames(1);
		onB.awaitFrames(1);
		echo(a).multicast(room, "one");
		echo(b).multicast(room, "two");
		echo(a).multicast(room, "three");

		List<JsonNode> seenOnA = onA.awaitFrames(4).subList(1, 4);
		List<JsonNode> seenOnB = onB.awaitFrames(4).subList(1, 4);
		assertThat(seenOnA).extracting((frame) -> frame.get("offset").longValue()).containsExactly(1L, 2L, 3L);
		assertThat(seenOnA).extracting((frame) -> frame.get("data").stringValue())
			.containsExactlyElementsOf(seenOnB.stream().map((frame) -> frame.get("data").stringValue()).toList())
			.containsExactlyInAnyOrder("one", "two", "three");
		assertThat(seenOnA).extracting((frame) -> frame.get("epoch").stringValue())
			.containsOnly(seenOnB.get(0).get("epoch").stringValue());
		History onANode = echo(a).history(room, 10);
		assertThat(echo(b).history(room, 10)).isEqualTo(onANode);
		assertThat(onANode.offset()).isEqualTo(3);
	}

	@Test
	void autoSubscribedClientsOnEitherNodeGetMulticastsToTheirUrl() {
		try (ClusterNode c = ClusterNode.start("node-c-url", cluster.redis(), "history-url", EchoApp.class,
				"websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.history.subscriptions=/ws/echo");
				ClusterNode d = ClusterNode.start("node-d-url", cluster.redis(), "history-url", EchoApp.class,
						"websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.history.subscriptions=/ws/echo")) {
			WebSocketTestClient onC = c.connect("on-c");
			WebSocketTestClient onD = d.connect("on-d");
			await().atMost(WAIT).until(() -> onC.texts().size() == 1 && onD.texts().size() == 1);
			ClusterNode.awaitAlive(c, d);
			echo(c).multicast("/ws/echo", "to both");
			await().atMost(WAIT).until(() -> onC.texts().size() == 2 && onD.texts().size() == 2);
		}
	}

	@Test
	void clientThatLeftOneNodeRecoversOnTheOther() {
		String room = room();
		Subscriber onA = subscribe(a, room, null);
		echo(a).multicast(room, "seen");
		JsonNode seen = onA.awaitFrames(2).get(1);
		onA.client().close();
		IntStream.rangeClosed(1, 5).forEach((i) -> echo(b).multicast(room, "missed " + i));
		await().atMost(WAIT).until(() -> echo(b).history(room, 0).offset() == 6);

		Subscriber onB = subscribe(b, room, seen.get("epoch").stringValue() + ":1:" + room);
		List<JsonNode> frames = onB.awaitFrames(6);
		assertThat(frames.get(0).get("recovery").stringValue()).isEqualTo("recovered");
		assertThat(frames.subList(1, 6)).extracting((frame) -> frame.get("data").stringValue())
			.containsExactly("missed 1", "missed 2", "missed 3", "missed 4", "missed 5");
		echo(a).multicast(room, "live");
		assertThat(onB.awaitFrames(7).get(6).get("data").stringValue()).isEqualTo("live");
	}

	@Test
	void historyOutlivesTheNodeThatMulticastAndANewNodeReadsItFromRedis() {
		String room = room();
		try (ClusterNode c = cluster.startNode("node-c")) {
			// Until its relay reaches Redis, a node keeps its multicasts in an epoch of
			// its own
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			IntStream.rangeClosed(1, 3).forEach((i) -> echo(c).multicast(room, "from c " + i));
			await().atMost(WAIT).until(() -> echo(c).history(room, 0).offset() == 3);
		}
		try (ClusterNode d = cluster.startNode("node-d")) {
			History history = echo(d).history(room, 10);
			assertThat(history.messages()).extracting(HistoryMessage::offset, HistoryMessage::text)
				.containsExactly(tuple(1L, "from c 1"), tuple(2L, "from c 2"), tuple(3L, "from c 3"));
			assertThat(history).isEqualTo(echo(a).history(room, 10));
		}
	}

	@Test
	void afterRedisIsFlushedTheEpochChangesAndAnOldPositionCannotBeRecovered() {
		String room = room();
		Subscriber onA = subscribe(a, room, null);
		echo(a).multicast(room, "before the flush");
		JsonNode before = onA.awaitFrames(2).get(1);
		a.bean(StringRedisTemplate.class).execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
		echo(b).multicast(room, "after the flush");
		JsonNode after = onA.awaitFrames(3).get(2);
		assertThat(after.get("epoch").stringValue()).isNotEqualTo(before.get("epoch").stringValue());
		assertThat(after.get("offset").longValue()).isEqualTo(1);

		Subscriber back = subscribe(b, room, before.get("epoch").stringValue() + ":1:" + room);
		JsonNode subscribed = back.awaitFrames(1).get(0);
		assertThat(subscribed.get("recovery").stringValue()).isEqualTo("not-recoverable");
		assertThat(subscribed.get("epoch").stringValue()).isEqualTo(after.get("epoch").stringValue());
		await().atMost(WAIT).until(() -> a.relay().otherNodes().contains("node-b"));
	}

	@Test
	void whileItsNodeIsCutOffFromRedisSubscribersGetMulticastsInAnEpochOfTheNodesOwnAndTheClustersAfter() {
		String room = room();
		try (RedisProxy proxy = RedisProxy.start(cluster.redis()); ClusterNode c = start("node-c-cut", proxy)) {
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			echo(a).multicast(room, "cluster 1");
			Subscriber onC = subscribe(c, room, null);
			String clusterEpoch = onC.awaitFrames(1).get(0).get("epoch").stringValue();

			proxy.cut();
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.DOWN);
			echo(c).multicast(room, "while cut off");
			JsonNode cutOff = onC.awaitFrames(2).get(1);
			assertThat(cutOff.get("data").stringValue()).isEqualTo("while cut off");
			assertThat(cutOff.get("epoch").stringValue()).isNotEqualTo(clusterEpoch);
			assertThat(echo(a).history(room, 10).messages()).extracting(HistoryMessage::text)
				.containsExactly("cluster 1");

			proxy.restore();
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			echo(a).multicast(room, "cluster 2");
			JsonNode back = onC.awaitFrames(3).get(2);
			assertThat(back.get("epoch").stringValue()).isEqualTo(clusterEpoch);
			assertThat(back.get("offset").longValue()).isEqualTo(2);
			Subscriber fromCutOff = subscribe(b, room,
					cutOff.get("epoch").stringValue() + ":" + cutOff.get("offset").longValue() + ":" + room);
			assertThat(fromCutOff.awaitFrames(1).get(0).get("recovery").stringValue()).isEqualTo("not-recoverable");
		}
	}

	@Test
	void aGreetingBeforeAnythingWasMulticastCarriesTheEpochThatRecoveryAcceptsLater() {
		String room = room();
		Subscriber first = subscribe(b, room, null);
		JsonNode greeting = first.awaitFrames(1).get(0);
		String epoch = greeting.get("epoch").stringValue();
		assertThat(epoch).isNotEmpty();
		echo(a).multicast(room, "seen");
		assertThat(first.awaitFrames(2).get(1).get("epoch").stringValue()).isEqualTo(epoch);
		first.client().close();
		echo(a).multicast(room, "missed");
		await().atMost(WAIT).until(() -> echo(a).history(room, 0).offset() == 2);

		Subscriber back = subscribe(a, room, epoch + ":1:" + room);
		List<JsonNode> frames = back.awaitFrames(2);
		assertThat(frames.get(0).get("recovery").stringValue()).isEqualTo("recovered");
		assertThat(frames.get(1).get("data").stringValue()).isEqualTo("missed");
	}

	@Test
	void aGreetingWhileRedisDoesNotAnswerCarriesAnEpochThatRecoveryRefusesRatherThanNone() {
		String room = room();
		try (RedisProxy proxy = RedisProxy.start(cluster.redis()); ClusterNode c = start("node-c-unanswered", proxy)) {
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			JsonNode greeting;
			proxy.pause();
			try {
				// The subscription reads Redis, which does not answer within the timeout
				greeting = subscribe(c, room, null).awaitFrames(1).get(0);
			}
			finally {
				proxy.resume();
			}
			String epoch = greeting.get("epoch").stringValue();
			assertThat(epoch).isNotEmpty();
			Subscriber back = subscribe(b, room, epoch + ":" + greeting.get("offset").longValue() + ":" + room);
			assertThat(back.awaitFrames(1).get(0).get("recovery").stringValue()).isEqualTo("not-recoverable");
		}
	}

	@Test
	void aMulticastDroppedOnItsWayToRedisStartsANewEpochRatherThanAGapThatRecoveryHides() {
		multicastThatMissesRedisStartsANewEpoch((c, proxy, room) -> {
			long dropped = c.relay().droppedPublications();
			proxy.pause();
			// Taken for Redis, then dropped when the pipeline it waits in times out
			echo(c).multicast(room, "missed");
			await().atMost(WAIT).until(() -> c.relay().droppedPublications() > dropped);
			// What the proxy holds never reaches Redis
			proxy.cut();
			proxy.resume();
		});
	}

	@Test
	void aMulticastOnANodeCutOffFromRedisStartsANewEpochWhenItIsBackRatherThanAGapThatRecoveryHides() {
		multicastThatMissesRedisStartsANewEpoch((c, proxy, room) -> {
			proxy.cut();
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.DOWN);
			echo(c).multicast(room, "missed");
		});
	}

	/**
	 * A node's multicast misses Redis, and the other nodes with it: the node's next one
	 * must start a new epoch, so that subscribers elsewhere see the break and a position
	 * before it is not recovered as if nothing was missed.
	 */
	private void multicastThatMissesRedisStartsANewEpoch(Miss miss) {
		String room = room();
		try (RedisProxy proxy = RedisProxy.start(cluster.redis()); ClusterNode c = start("node-c-missed", proxy)) {
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			Subscriber onB = subscribe(b, room, null);
			onB.awaitFrames(1);
			echo(c).multicast(room, "before");
			JsonNode before = onB.awaitFrames(2).get(1);

			miss.miss(c, proxy, room);
			proxy.restore();
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			echo(c).multicast(room, "after");

			JsonNode after = onB.awaitFrames(3).get(2);
			assertThat(after.get("data").stringValue()).isEqualTo("after");
			assertThat(after.get("epoch").stringValue()).isNotEqualTo(before.get("epoch").stringValue());
			Subscriber back = subscribe(a, room,
					before.get("epoch").stringValue() + ":" + before.get("offset").longValue() + ":" + room);
			assertThat(back.awaitFrames(1).get(0).get("recovery").stringValue()).isEqualTo("not-recoverable");
		}
	}

	@Test
	void multicastsWaitingForTheRelayGoToRedisAsOneScriptInTheirOrder() {
		String room = room();
		Subscriber onB = subscribe(b, room, null);
		onB.awaitFrames(1);
		StringRedisTemplate commands = a.bean(StringRedisTemplate.class);
		long scriptsBefore = evalCalls(commands);
		int count = 1000;
		IntStream.rangeClosed(1, count).forEach((i) -> echo(a).multicast(room, Integer.toString(i)));

		List<JsonNode> frames = onB.awaitFrames(count + 1).subList(1, count + 1);
		assertThat(frames).extracting((frame) -> frame.get("offset").longValue())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
		assertThat(frames).extracting((frame) -> frame.get("data").stringValue())
			.containsExactlyElementsOf(IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList());
		// One script per command, a thousand of them in a pipeline, took longer than the
		// command timeout under load: the last ones timed out, and the relay went down
		assertThat(evalCalls(commands) - scriptsBefore).isLessThan(count / 2);
	}

	@Test
	void underAThousandMessagesASecondAHundredClientsReconnectingToEitherNodeMissNothingAndGetNothingTwice()
			throws Exception {
		String room = room();
		HttpClient http = HttpClient.newHttpClient();
		ReconnectingReaders.run(room, (text) -> echo(a).multicast(room, text),
				(reader, session, position) -> subscribe(http, ((reader + session) % 2 == 0) ? a : b, room, position));
	}

	private static long evalCalls(StringRedisTemplate commands) {
		Properties stats = commands
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String eval = (stats != null) ? stats.getProperty("cmdstat_eval") : null;
		if (eval == null) {
			return 0;
		}
		return Long.parseLong(eval.substring(eval.indexOf("calls=") + 6, eval.indexOf(',')));
	}

	/**
	 * Start a node that reaches Redis through a proxy, keeping the default history size.
	 */
	private static ClusterNode start(String node, RedisProxy proxy) {
		return ClusterNode.start(node, proxy.port(), PREFIX, EchoApp.class, "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.auto-subscribe=false", "websocket.apps.echo.history.subscriptions=room-*");
	}

	private static ChannelRegistry echo(ClusterNode node) {
		return node.registry().app("echo");
	}

	private static String room() {
		return "room-" + ids.incrementAndGet();
	}

	private static Subscriber subscribe(ClusterNode node, String room, String position) {
		return subscribe(HttpClient.newHttpClient(), node, room, position);
	}

	/**
	 * Connect a client to a node, asking to recover from a position when there is one,
	 * and subscribe it to a room.
	 */
	private static Subscriber subscribe(HttpClient http, ClusterNode node, String room, String position) {
		String id = "history-" + ids.incrementAndGet();
		String query = "?id=" + id
				+ ((position != null) ? "&recover=" + URLEncoder.encode(position, StandardCharsets.UTF_8) : "");
		WebSocketTestClient client = WebSocketTestClient
			.to(URI.create("ws://localhost:" + node.port() + "/ws/echo" + query))
			.httpClient(http)
			.open();
		Channel channel = node.channel(id);
		assertThat(echo(node).subscribe(channel, room)).isTrue();
		return new Subscriber(client);
	}

	/**
	 * Makes a node's multicast miss Redis.
	 */
	@FunctionalInterface
	interface Miss {

		void miss(ClusterNode node, RedisProxy proxy, String room);

	}

	record Subscriber(WebSocketTestClient client) implements ReconnectingReaders.Session {

		@Override
		public void close() {
			this.client.close();
		}

		@Override
		public List<JsonNode> awaitFrames(int count) {
			await().atMost(WAIT).until(() -> this.client.texts().size() >= count);
			return List.copyOf(this.client.texts()).subList(0, count).stream().map(json::readTree).toList();
		}

	}

}
