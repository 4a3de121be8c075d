package dev.websocketstarter.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ClaimResult;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.Presence.Member;
import dev.websocketstarter.registry.SendResult;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClusterRelay} on a real Redis Cluster of three shards started by the
 * test, the nodes configured with {@code spring.data.redis.cluster.nodes}: multicasts,
 * sends, subscribes, unsubscribes and closes of a channel on the other node, presence,
 * claims, history with recovery, and the subscriptions' shard channels spread over the
 * shards.
 */
class ClusterOnRedisClusterIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PREFIX = "sharded";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicLong ids = new AtomicLong();

	private static RedisCluster redis;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		redis = RedisCluster.start();
		a = start("node-a");
		b = start("node-b");
		ClusterNode.awaitAlive(a, b);
	}

	@AfterAll
	static void stopCluster() {
		for (AutoCloseable closeable : new AutoCloseable[] { a, b, redis }) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	private static ClusterNode start(String node) {
		return ClusterNode.start(node, redis.shards().get(0).port(), PREFIX, Apps.class,
				"spring.data.redis.cluster.nodes=" + redis.nodes(), "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.auto-subscribe=false", "websocket.apps.echo.presence=true",
				"websocket.apps.echo.history.subscriptions=kept-*");
	}

	@Test
	void relaysAreUpOnTheRedisCluster() {
		for (ClusterNode node : List.of(a, b)) {
			assertThat(node.relay().state()).isEqualTo(ClusterRelay.State.UP);
			assertThat(node.health().health().getStatus()).isEqualTo(Status.UP);
		}
	}

	@Test
	void multicastsReachSubscribersOnBothNodesSkippingTheExcludedOnes() {
		String room = "room-" + ids.incrementAndGet();
		Tab onA = open(a, room, null);
		Tab onB = open(b, room, null);
		Tab excludedOnB = open(b, room, null);
		await().atMost(WAIT).until(() -> echo(a).subscriberCount(room) == 3);

		assertThat(echo(a).multicast(room, "text from a", excludedOnB.channel())).isOne();
		echo(b).multicast(room, "binary from b".getBytes(StandardCharsets.UTF_8));

		onB.client().awaitText("text from a");
		onA.client().awaitText("text from a");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(onA.client().binaries()).hasSize(1);
			assertThat(excludedOnB.client().binaries()).hasSize(1);
		});
		assertThat(excludedOnB.client().texts()).isEmpty();
	}

	@Test
	void sendSubscribeUnsubscribeAndCloseReachAChannelOnTheOtherNode() {
		Tab onB = open(b, "home-" + ids.incrementAndGet(), null);
		String room = "remote-" + ids.incrementAndGet();
		assertThat(a.registry().send(onB.channel(), "sent from a")).isEqualTo(SendResult.QUEUED);
		onB.client().awaitText("sent from a");

		await().atMost(WAIT).until(() -> a.registry().isOpen(onB.channel()));
		assertThat(echo(a).subscribe(onB.channel(), room)).isTrue();
		await().atMost(WAIT).until(() -> echo(a).subscriberCount(room) == 1);
		echo(a).multicast(room, "to the remote subscriber");
		onB.client().awaitText("to the remote subscriber");

		assertThat(echo(a).unsubscribe(onB.channel(), room)).isTrue();
		await().atMost(WAIT).until(() -> echo(a).subscriberCount(room) == 0);
		assertThat(echo(b).subscriptions(onB.channel())).doesNotContain(room);

		assertThat(a.registry().close(onB.channel(), new CloseStatus(4001, "by node-a"))).isTrue();
		assertThat(onB.client().awaitClose().getCode()).isEqualTo(4001);
		await().atMost(WAIT).until(() -> !a.registry().isOpen(onB.channel()));
	}

	@Test
	void presenceListsTheChannelsOfBothNodes() {
		String room = "presence-" + ids.incrementAndGet();
		Tab aliceOnA = open(a, room, "alice");
		Tab bobOnB = open(b, room, "bob");
		Presence expected = new Presence(room, 2, 2, List.of(new Member(aliceOnA.channel(), "alice", Map.of()),
				new Member(bobOnB.channel(), "bob", Map.of())));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(echo(a).presence(room)).isEqualTo(expected);
			assertThat(echo(b).presence(room)).isEqualTo(expected);
		});
	}

	@Test
	void aValueClaimedOnOneNodeIsTakenOnTheOtherUntilReleased() {
		Tab onA = open(a, "claims-" + ids.incrementAndGet(), null);
		Tab onB = open(b, "claims-" + ids.incrementAndGet(), null);
		String value = "carol-" + ids.incrementAndGet();
		assertThat(a.registry().claim(onA.channel(), "name", value)).isEqualTo(ClaimResult.CLAIMED);
		assertThat(b.registry().claim(onB.channel(), "name", value)).isEqualTo(ClaimResult.TAKEN);

		assertThat(a.registry().release(onA.channel(), "name", value)).isTrue();
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(b.registry().claim(onB.channel(), "name", value)).isEqualTo(ClaimResult.CLAIMED));
	}

	@Test
	void aClientThatLeftOneNodeRecoversWhatItMissedOnTheOther() {
		String room = "kept-" + ids.incrementAndGet();
		Tab onA = open(a, room, null);
		List<JsonNode> greeting = onA.awaitFrames(1);
		echo(b).multicast(room, "seen");
		JsonNode seen = onA.awaitFrames(2).get(1);
		assertThat(seen.get("offset").longValue()).isEqualTo(greeting.get(0).get("offset").longValue() + 1);
		onA.client().close();
		IntStream.rangeClosed(1, 3).forEach((i) -> echo(a).multicast(room, "missed " + i));
		await().atMost(WAIT).until(() -> echo(b).history(room, 0).offset() == 4);

		String position = seen.get("epoch").stringValue() + ":" + seen.get("offset").longValue() + ":" + room;
		Tab onB = open(b, room, null, "recover=" + URLEncoder.encode(position, StandardCharsets.UTF_8));
		List<JsonNode> frames = onB.awaitFrames(4);
		assertThat(frames.get(0).get("recovery").stringValue()).isEqualTo("recovered");
		assertThat(frames.subList(1, 4)).extracting((frame) -> frame.get("data").stringValue())
			.containsExactly("missed 1", "missed 2", "missed 3");
		echo(a).multicast(room, "live");
		assertThat(onB.awaitFrames(5).get(4).get("data").stringValue()).isEqualTo("live");
		assertThat(echo(a).history(room, 10).messages()).extracting((message) -> message.text())
			.containsExactly("seen", "missed 1", "missed 2", "missed 3", "live");
	}

	@Test
	void theShardChannelsOfTheSubscriptionsANodeHoldsSpreadOverTheShards() {
		Tab subscriber = open(b, "spread-" + ids.incrementAndGet(), null);
		Set<String> expected = new HashSet<>();
		expected.add(new RedisKeys(PREFIX).shardChannel("echo", subscriber.subscription()));
		for (int i = 0; i < 20; i++) {
			String room = "spread-" + ids.incrementAndGet();
			assertThat(echo(b).subscribe(subscriber.channel(), room)).isTrue();
			expected.add(new RedisKeys(PREFIX).shardChannel("echo", room));
			echo(a).multicast(room, room);
		}
		await().atMost(WAIT).until(() -> subscriber.client().texts().size() == 20);

		Set<String> subscribed = new HashSet<>();
		int shardsWithChannels = 0;
		for (RedisServer shard : redis.shards()) {
			List<String> channels = shard.cliLines("PUBSUB", "SHARDCHANNELS", "{" + PREFIX + ":4:echo:spread-*");
			subscribed.addAll(channels);
			shardsWithChannels += channels.isEmpty() ? 0 : 1;
		}
		assertThat(subscribed).isEqualTo(expected);
		assertThat(shardsWithChannels).isGreaterThan(1);
	}

	@Test
	void historiesSpreadOverTheShards() {
		Set<Integer> shards = new HashSet<>();
		for (int i = 0; i < 12; i++) {
			String room = "kept-spread-" + ids.incrementAndGet();
			echo(a).multicast(room, "kept");
			String key = new RedisKeys(PREFIX).history("echo", room);
			await().atMost(WAIT).until(() -> shardHolding(key) >= 0);
			shards.add(shardHolding(key));
		}
		assertThat(shards).hasSizeGreaterThan(1);
	}

	/**
	 * The index of the shard whose keys include one, -1 if none does yet.
	 */
	private static int shardHolding(String key) {
		for (int i = 0; i < redis.shards().size(); i++) {
			// Each shard answers EXISTS for the slots it serves, MOVED for the others
			if (redis.shards().get(i).cliLines("EXISTS", key).equals(List.of("1"))) {
				return i;
			}
		}
		return -1;
	}

	private static ChannelRegistry echo(ClusterNode node) {
		return node.registry().app("echo");
	}

	/**
	 * Connect a client to a node, as a user or not, and subscribe it; returns once it is
	 * subscribed.
	 */
	private static Tab open(ClusterNode node, String subscription, @Nullable String user, String... query) {
		String id = "sharded-" + ids.incrementAndGet();
		WebSocketTestClient client = node.connect(id, user, query);
		Channel channel = node.channel("echoHandler", id);
		assertThat(echo(node).subscribe(channel, subscription)).isTrue();
		return new Tab(client, channel, subscription);
	}

	/**
	 * The app {@code echo}, with a principal from the query parameter {@code user}.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, LoginApp.class })
	static class Apps {

	}

	record Tab(WebSocketTestClient client, Channel channel, String subscription) {

		List<JsonNode> awaitFrames(int count) {
			await().atMost(WAIT).until(() -> this.client.texts().size() >= count);
			return List.copyOf(this.client.texts()).subList(0, count).stream().map(json::readTree).toList();
		}

	}

}
