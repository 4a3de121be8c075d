package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.SendResult;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClusterChannelRegistry} and {@link ClusterRelay}: two nodes on two
 * ports sharing a real Redis server, with clients on both.
 */
class ClusterIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = TwoNodes.start("it");
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
	void multicastReachesSubscribersOnEveryNodeButTheExcludedOnes() {
		WebSocketTestClient a1 = a.connect("mc-a1");
		WebSocketTestClient a2 = a.connect("mc-a2");
		WebSocketTestClient b1 = b.connect("mc-b1");
		WebSocketTestClient b2 = b.connect("mc-b2");
		Channel a1Channel = a.channel("mc-a1");
		Channel b1Channel = b.channel("mc-b1");
		for (String id : new String[] { "mc-a1", "mc-a2" }) {
			a.registry().subscribe(a.channel(id), "mc-room");
		}
		for (String id : new String[] { "mc-b1", "mc-b2" }) {
			b.registry().subscribe(b.channel(id), "mc-room");
		}
		await().atMost(WAIT).until(() -> a.registry().subscriberCount("mc-room") == 4);

		assertThat(a.registry().multicast("mc-room", "hello", a1Channel, b1Channel)).isEqualTo(1);
		assertThat(a.registry().multicast("mc-room", "end")).isEqualTo(2);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a2.texts()).containsExactly("hello", "end");
			assertThat(b2.texts()).containsExactly("hello", "end");
			assertThat(a1.texts()).containsExactly("end");
			assertThat(b1.texts()).containsExactly("end");
		});

		byte[] data = { 0, 1, 2, (byte) 0xff };
		b.registry().multicast("mc-room", data, a.channel("mc-a2"));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a1.binaries()).singleElement().isEqualTo(data);
			assertThat(b1.binaries()).singleElement().isEqualTo(data);
			assertThat(b2.binaries()).singleElement().isEqualTo(data);
		});
		assertThat(a2.binaries()).isEmpty();
	}

	@Test
	void sendReachesAChannelOnAnotherNode() {
		WebSocketTestClient client = b.connect("send-b");
		Channel channel = b.channel("send-b");

		assertThat(a.registry().send(channel, "to b")).isEqualTo(SendResult.QUEUED);
		assertThat(a.registry().send(channel, "bytes".getBytes(StandardCharsets.UTF_8))).isEqualTo(SendResult.QUEUED);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(client.texts()).containsExactly("to b");
			assertThat(client.binaries()).singleElement().isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
		});
	}

	@Test
	void sendToAChannelOfAnUnknownNodeIsClosed() {
		assertThat(a.registry().send(new Channel("echo", "node-gone", 1), "anyone?")).isEqualTo(SendResult.CLOSED);
	}

	@Test
	void subscriberCountsAndHandlesAreClusterWide() {
		a.connect("count-a");
		WebSocketTestClient bClient = b.connect("count-b");
		Channel aChannel = a.channel("count-a");
		Channel bChannel = b.channel("count-b");
		a.registry().subscribe(aChannel, "count-room");
		b.registry().subscribe(bChannel, "count-room");

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a.registry().subscriberCount("count-room")).isEqualTo(2);
			assertThat(b.registry().subscriberCount("count-room")).isEqualTo(2);
			assertThat(a.registry().subscribers("count-room")).containsExactlyInAnyOrder(aChannel, bChannel);
			assertThat(a.registry().subscriptions(bChannel)).containsExactlyInAnyOrder("/ws/echo", "count-room");
			assertThat(a.registry().isOpen(bChannel)).isTrue();
		});

		bClient.close();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a.registry().subscriberCount("count-room")).isEqualTo(1);
			assertThat(a.registry().subscribers("count-room")).containsExactly(aChannel);
			assertThat(a.registry().isOpen(bChannel)).isFalse();
		});
	}

	@Test
	void subscribeAndCloseReachAChannelOnAnotherNode() {
		WebSocketTestClient client = b.connect("remote-b");
		Channel channel = b.channel("remote-b");

		// Node A answers from its view of B's channel, which comes through Redis
		await().atMost(WAIT).until(() -> a.registry().isOpen(channel));

		assertThat(a.registry().subscribe(channel, "remote-room")).isTrue();
		await().atMost(WAIT).until(() -> b.local().subscriptions(channel).contains("remote-room"));
		await().atMost(WAIT).until(() -> a.registry().subscriptions(channel).contains("remote-room"));
		assertThat(a.registry().subscribe(channel, "remote-room")).as("subscribed already").isFalse();
		assertThat(a.registry().unsubscribe(channel, "remote-room")).isTrue();
		await().atMost(WAIT).until(() -> !b.local().subscriptions(channel).contains("remote-room"));
		await().atMost(WAIT).until(() -> !a.registry().subscriptions(channel).contains("remote-room"));
		assertThat(a.registry().unsubscribe(channel, "remote-room")).as("not subscribed").isFalse();

		assertThat(a.registry().close(channel, new CloseStatus(4001, "by node-a"))).isTrue();
		assertThat(client.awaitClose().getCode()).isEqualTo(4001);
		assertThat(client.awaitClose().getReason()).isEqualTo("by node-a");
		await().atMost(WAIT).until(() -> !a.registry().isOpen(channel));
		assertThat(a.registry().close(channel, new CloseStatus(4001, "again"))).as("closed already").isFalse();
	}

	@Test
	void aNodeThatStopsBeatingIsForgottenAfterTheTtl() {
		StringRedisTemplate commands = a.bean(StringRedisTemplate.class);
		// Long enough to be seen on a slow machine, short enough to expire within WAIT
		commands.opsForZSet().add(new RedisKeys("it").nodes(), "node-ghost", System.currentTimeMillis() + 4000);
		commands.opsForHash().put(new RedisKeys("it").channels("node-ghost"), "echo#1@node-ghost", "sghost-room");

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a.registry().subscriberCount("ghost-room")).isOne();
			assertThat(a.relay().otherNodes()).contains("node-ghost");
		});
		await().atMost(WAIT).until(() -> a.registry().subscriberCount("ghost-room") == 0);
		assertThat(a.relay().otherNodes()).doesNotContain("node-ghost");
		await().atMost(WAIT)
			.until(() -> commands.opsForZSet().score(new RedisKeys("it").nodes(), "node-ghost") == null);
	}

	@Test
	void aStoppedNodeIsForgotten() {
		try (ClusterNode c = cluster.startNode("node-c")) {
			c.connect("stopped-c");
			c.registry().subscribe(c.channel("stopped-c"), "stopped-room");
			await().atMost(WAIT).until(() -> a.registry().subscriberCount("stopped-room") == 1);
			assertThat(a.relay().otherNodes()).contains("node-c");
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a.registry().subscriberCount("stopped-room")).isZero();
			assertThat(a.relay().otherNodes()).doesNotContain("node-c");
		});
	}

}
