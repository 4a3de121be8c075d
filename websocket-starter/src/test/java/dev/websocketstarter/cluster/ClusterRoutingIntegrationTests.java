package dev.websocketstarter.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.actuate.WebSocketClusterMetrics;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for how {@link ClusterRelay} routes multicasts through Redis 7's sharded pub/sub
 * on a real Redis server: a node receives the multicasts of the subscriptions it has
 * subscribers for and no others, from the moment its first subscriber's {@code subscribe}
 * returns until its last leaves, and after Redis restarts it is subscribed to exactly
 * those; a Redis without sharded pub/sub keeps the relay down, naming the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterRoutingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PREFIX = "routing";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicLong ids = new AtomicLong();

	private static final String[] ECHO = { "websocket.apps.echo.urls=/ws/echo",
			"websocket.apps.echo.auto-subscribe=false", "websocket.apps.echo.history.subscriptions=kept-*" };

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = TwoNodes.start(PREFIX, EchoApp.class, ECHO);
		a = cluster.a();
		b = cluster.b();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	private static ClusterNode start(String node, RedisServer redis, String prefix) {
		return ClusterNode.start(node, redis, prefix, EchoApp.class, ECHO);
	}

	@Test
	void aNodeWithoutSubscribersOfASubscriptionReceivesNoneOfItsMulticasts() {
		Tab plainOnA = open(a, "only-on-a");
		Tab keptOnA = open(a, "kept-only-on-a");
		keptOnA.awaitTexts(1);
		Tab marker = open(b, "marker-" + ids.incrementAndGet());
		long before = b.relay().multicastsReceived();

		for (int i = 0; i < 20; i++) {
			echo(a).multicast("only-on-a", "plain " + i);
			echo(a).multicast("kept-only-on-a", "kept " + i);
		}
		echo(a).multicast(marker.subscription(), "marker");

		marker.client().awaitText("marker");
		plainOnA.awaitTexts(20);
		keptOnA.awaitTexts(21);
		// Redis keeps the order of one publisher's messages: the marker came last
		assertThat(b.relay().multicastsReceived() - before).isOne();
		assertThat(shardSubscribers(cluster.redis(), "only-on-a")).isOne();
		assertThat(shardSubscribers(cluster.redis(), "kept-only-on-a")).isOne();
		MeterRegistry meters = new SimpleMeterRegistry();
		b.bean(WebSocketClusterMetrics.class).bindTo(meters);
		assertThat(meters.get("websocket.cluster.multicasts.received").functionCounter().count())
			.isEqualTo(b.relay().multicastsReceived());
	}

	@Test
	void aNodeReceivesASubscriptionsMulticastsFromItsFirstSubscriberUntilItsLastLeaves() {
		String room = "comes-and-goes";
		Tab marker = open(b, "marker-" + ids.incrementAndGet());
		assertThat(receivedOnB(() -> echo(a).multicast(room, "before"), marker)).isZero();

		Tab first = open(b, room);
		Tab second = open(b, room);
		assertThat(shardSubscribers(cluster.redis(), room)).isOne();
		assertThat(receivedOnB(() -> echo(a).multicast(room, "to both"), marker)).isOne();
		first.client().awaitText("to both");
		second.client().awaitText("to both");

		assertThat(echo(b).unsubscribe(first.channel(), room)).isTrue();
		assertThat(receivedOnB(() -> echo(a).multicast(room, "to the second"), marker)).isOne();
		second.client().awaitText("to the second");

		second.client().close();
		await().atMost(WAIT).until(() -> shardSubscribers(cluster.redis(), room) == 0);
		assertThat(receivedOnB(() -> echo(a).multicast(room, "after"), marker)).isZero();
		assertThat(first.client().texts()).containsExactly("to both");
	}

	@Test
	void aMulticastMadeRightAfterASubscribeOnAnotherNodeReturnsReachesTheSubscriber() {
		Tab subscriber = open(b, "race-" + ids.incrementAndGet());
		List<String> expected = new ArrayList<>();
		for (int round = 0; round < 200; round++) {
			String room = "race-" + ids.incrementAndGet();
			assertThat(echo(b).subscribe(subscriber.channel(), room)).isTrue();
			echo(a).multicast(room, room);
			expected.add(room);
		}
		await().atMost(WAIT).until(() -> subscriber.client().texts().size() >= expected.size());
		assertThat(subscriber.client().texts()).containsExactlyElementsOf(expected);
	}

	@Test
	void aSubscriberThatComesBackToAHistoryItsNodeStoppedFollowingIsGreetedAtRedisLatestOffset() {
		Tab subscriber = open(b, "kept-back-" + ids.incrementAndGet());
		subscriber.awaitTexts(1);
		int rounds = 30;
		List<String> rooms = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			String room = "kept-back-" + ids.incrementAndGet();
			rooms.add(room);
			assertThat(echo(b).subscribe(subscriber.channel(), room)).isTrue();
			echo(a).multicast(room, "followed");
			await().atMost(WAIT)
				.until(() -> subscriber.client()
					.texts()
					.stream()
					.anyMatch((text) -> text.contains(room) && text.contains("followed")));
			assertThat(echo(b).unsubscribe(subscriber.channel(), room)).isTrue();
			// Node b no longer receives the room's multicasts: its copy falls behind
			await().atMost(WAIT).until(() -> shardSubscribers(cluster.redis(), room) == 0);
			echo(a).multicast(room, "missed 1");
			echo(a).multicast(room, "missed 2");
			await().atMost(WAIT).until(() -> echo(a).history(room, 0).offset() == 3);
			assertThat(echo(b).subscribe(subscriber.channel(), room)).isTrue();
			echo(a).multicast(room, "right after");
		}
		List<JsonNode> frames = subscriber.awaitTexts(1 + 4 * rounds).subList(1, 1 + 4 * rounds);
		for (String room : rooms) {
			List<JsonNode> ofRoom = frames.stream()
				.filter((frame) -> frame.get("sub").stringValue().equals(room))
				.toList();
			assertThat(ofRoom).extracting((frame) -> frame.get("ws").stringValue())
				.containsExactly("subscribed", "pub", "subscribed", "pub");
			assertThat(ofRoom).extracting((frame) -> frame.get("offset").longValue()).containsExactly(0L, 1L, 3L, 4L);
			assertThat(ofRoom.get(3).get("data").stringValue()).isEqualTo("right after");
			assertThat(ofRoom).extracting((frame) -> frame.get("epoch").stringValue())
				.containsOnly(ofRoom.get(0).get("epoch").stringValue());
		}
	}

	@Test
	void afterRedisRestartsEachNodeIsSubscribedToExactlyTheSubscriptionsItHolds() {
		try (RedisServer restarting = RedisServer.start();
				ClusterNode c = start("node-c", restarting, "routing-restart");
				ClusterNode d = start("node-d", restarting, "routing-restart")) {
			ClusterNode.awaitAlive(c, d);
			Tab one = open(c, "one");
			open(c, "two");
			Tab shared = open(c, "shared");
			open(d, "shared");
			open(d, "on-d");
			Tab onlyWhileDown = open(c, "gone-while-down");
			assertThat(echo(c).unsubscribe(one.channel(), "one")).isTrue();
			await().atMost(WAIT)
				.until(() -> shardChannels(restarting).equals(channels("two", "shared", "on-d", "gone-while-down")));

			restarting.stop();
			await().atMost(WAIT)
				.until(() -> c.relay().state() == ClusterRelay.State.DOWN
						&& d.relay().state() == ClusterRelay.State.DOWN);
			Tab cameWhileDown = open(c, "came-while-down");
			assertThat(echo(c).unsubscribe(onlyWhileDown.channel(), "gone-while-down")).isTrue();
			restarting.restart();
			await().atMost(WAIT)
				.until(() -> c.relay().state() == ClusterRelay.State.UP && d.relay().state() == ClusterRelay.State.UP);

			assertThat(shardChannels(restarting)).isEqualTo(channels("two", "shared", "on-d", "came-while-down"));
			assertThat(shardSubscribers(restarting, "shared")).isEqualTo(2);
			ClusterNode.awaitAlive(c, d);
			echo(d).multicast("came-while-down", "after the restart");
			echo(d).multicast("shared", "shared after the restart");
			cameWhileDown.client().awaitText("after the restart");
			shared.client().awaitText("shared after the restart");
		}
	}

	@Test
	void aRedisWithoutShardedPubSubKeepsTheRelayDownNamingTheFix(CapturedOutput output) {
		try (RedisServer old = RedisServer
			.start(List.of("--rename-command", "SPUBLISH", "", "--rename-command", "SSUBSCRIBE", ""));
				ClusterNode node = start("node-old", old, "routing-old")) {
			await().atMost(WAIT).until(() -> node.relay().state() == ClusterRelay.State.DOWN);
			Health health = node.health().health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("error")).asString()
				.startsWith("needs Redis 7 or later for sharded pub/sub")
				.contains("unknown command")
				.endsWith("Upgrade Redis to 7 or later");
			assertThat(node.relay().lastFailure()).startsWith("needs Redis 7 or later for sharded pub/sub");
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(output.getAll())
					.contains("Cluster relay of node node-old needs Redis 7 or later for sharded pub/sub"));
			// Heartbeats go on, and the relay stays down
			long beats = heartbeats(old);
			await().atMost(WAIT).until(() -> heartbeats(old) > beats + 1);
			assertThat(node.relay().state()).isEqualTo(ClusterRelay.State.DOWN);
		}
	}

	/**
	 * The heartbeats Redis saw: each adds the node to the sorted set of nodes.
	 */
	private static long heartbeats(RedisServer redis) {
		return redis.cliLines("INFO", "commandstats")
			.stream()
			.filter((line) -> line.startsWith("cmdstat_zadd:calls="))
			.map((line) -> Long.parseLong(line.substring("cmdstat_zadd:calls=".length(), line.indexOf(','))))
			.findFirst()
			.orElse(0L);
	}

	/**
	 * How many multicasts node b received while something was multicast, then a marker to
	 * a subscription it has a subscriber for: Redis keeps the order of the publications
	 * of node a's relay, so the marker comes after the rest.
	 */
	private static long receivedOnB(Runnable multicasts, Tab marker) {
		long before = b.relay().multicastsReceived();
		multicasts.run();
		String text = "marker " + ids.incrementAndGet();
		echo(a).multicast(marker.subscription(), text);
		marker.client().awaitText(text);
		return b.relay().multicastsReceived() - before - 1;
	}

	private static Set<String> channels(String... subscriptions) {
		Set<String> channels = new HashSet<>();
		for (String subscription : subscriptions) {
			channels.add(new RedisKeys("routing-restart").shardChannel("echo", subscription));
		}
		return channels;
	}

	private static Set<String> shardChannels(RedisServer redis) {
		return new HashSet<>(redis.cliLines("PUBSUB", "SHARDCHANNELS"));
	}

	private static long shardSubscribers(RedisServer redis, String subscription) {
		String prefix = (redis == cluster.redis()) ? PREFIX : "routing-restart";
		List<String> answer = redis.cliLines("PUBSUB", "SHARDNUMSUB",
				new RedisKeys(prefix).shardChannel("echo", subscription));
		return Long.parseLong(answer.get(1));
	}

	private static ChannelRegistry echo(ClusterNode node) {
		return node.registry().app("echo");
	}

	/**
	 * Connect a client to a node and subscribe it; returns once it is subscribed.
	 */
	private static Tab open(ClusterNode node, String subscription) {
		String id = "routing-" + ids.incrementAndGet();
		WebSocketTestClient client = node.connect(id);
		Channel channel = node.channel(id);
		assertThat(echo(node).subscribe(channel, subscription)).isTrue();
		return new Tab(client, channel, subscription);
	}

	record Tab(WebSocketTestClient client, Channel channel, String subscription) {

		List<JsonNode> awaitTexts(int count) {
			await().atMost(WAIT).until(() -> this.client.texts().size() >= count);
			List<String> texts = List.copyOf(this.client.texts()).subList(0, count);
			return texts.stream().map((text) -> text.startsWith("{") ? json.readTree(text) : null).toList();
		}

	}

}
