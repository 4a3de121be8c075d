package dev.websocketstarter.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ClaimResult;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelRegistry#claim} across nodes sharing a real Redis server: one
 * channel of the cluster holds a value at a time, also when channels on both nodes claim
 * it at once; a value held on a node that died or restarted is free again; claims survive
 * a Redis restart and a flush between two heartbeats; a channel whose value another node
 * claimed while its node was cut off is closed with 1013.
 */
class ClusterClaimIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PREFIX = "claims";

	private static final AtomicLong ids = new AtomicLong();

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = TwoNodes.start(PREFIX);
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
	void valueHeldOnOneNodeIsTakenOnTheOtherUntilItsHolderCloses() {
		Tab onA = open(a);
		Tab onB = open(b);
		assertThat(a.registry().claim(onA.channel(), "name:/room", "alice")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(b.registry().claim(onB.channel(), "name:/room", "alice")).isEqualTo(ClaimResult.TAKEN);
		assertThat(b.registry().claim(onB.channel(), "name:/room-2", "alice")).isEqualTo(ClaimResult.CLAIMED);

		onA.client().close();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(b.registry().claim(onB.channel(), "name:/room", "alice"))
				.isEqualTo(ClaimResult.CLAIMED));
		Tab againOnA = open(a);
		assertThat(a.registry().claim(againOnA.channel(), "name:/room", "alice")).isEqualTo(ClaimResult.TAKEN);
	}

	@Test
	void releaseOnOneNodeFreesTheValueForTheOther() {
		Tab onA = open(a);
		Tab onB = open(b);
		a.registry().claim(onA.channel(), "release", "bob");
		assertThat(b.registry().claim(onB.channel(), "release", "bob")).isEqualTo(ClaimResult.TAKEN);
		assertThat(b.registry().release(onA.channel(), "release", "bob")).isFalse();

		assertThat(a.registry().release(onA.channel(), "release", "bob")).isTrue();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(b.registry().claim(onB.channel(), "release", "bob"))
				.isEqualTo(ClaimResult.CLAIMED));
		assertThat(a.registry().claim(onA.channel(), "release", "bob")).isEqualTo(ClaimResult.TAKEN);
	}

	@Test
	void ofChannelsOnBothNodesClaimingOneValueAtOnceExactlyOneHoldsIt() throws Exception {
		List<Tab> tabs = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			tabs.add(open(a));
			tabs.add(open(b));
		}
		for (int round = 0; round < 20; round++) {
			String value = "race-" + round;
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<ClaimResult>> claims = tabs.stream()
				.map((tab) -> CompletableFuture.supplyAsync(() -> {
					awaitLatch(start);
					return tab.node().registry().claim(tab.channel(), "race", value);
				}))
				.toList();
			start.countDown();
			List<ClaimResult> results = new ArrayList<>();
			for (CompletableFuture<ClaimResult> claim : claims) {
				results.add(claim.get());
			}
			assertThat(results).filteredOn(ClaimResult::isClaimed).hasSize(1);
			assertThat(results).filteredOn((result) -> !result.isClaimed()).containsOnly(ClaimResult.TAKEN);
		}
	}

	@Test
	void valueHeldOnANodeThatStopsBeatingIsFreeOnceTheNodeIsForgotten() {
		StringRedisTemplate commands = a.bean(StringRedisTemplate.class);
		RedisKeys keys = new RedisKeys(PREFIX);
		String claims = keys.claims("echo", "ghost");
		commands.opsForHash().put(claims, "carol", "run1|echo#1@node-ghost");
		commands.opsForValue().set(keys.run("node-ghost"), "run1");
		commands.opsForZSet().add(keys.nodes(), "node-ghost", System.currentTimeMillis() + 3000);
		Tab onA = open(a);
		assertThat(a.registry().claim(onA.channel(), "ghost", "carol")).isEqualTo(ClaimResult.TAKEN);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(a.registry().claim(onA.channel(), "ghost", "carol"))
				.isEqualTo(ClaimResult.CLAIMED));
		assertThat(commands.opsForHash().get(claims, "carol")).asString().endsWith("|" + onA.channel());
		commands.delete(keys.run("node-ghost"));
	}

	@Test
	void valueHeldByAnEarlierRunOfANodeIsFreeAtOnce() {
		StringRedisTemplate commands = a.bean(StringRedisTemplate.class);
		RedisKeys keys = new RedisKeys(PREFIX);
		commands.opsForHash().put(keys.claims("echo", "restarted"), "dan", "oldrun|echo#1@node-restarted");
		commands.opsForValue().set(keys.run("node-restarted"), "newrun");
		commands.opsForZSet().add(keys.nodes(), "node-restarted", System.currentTimeMillis() + 60_000);
		try {
			Tab onA = open(a);
			assertThat(a.registry().claim(onA.channel(), "restarted", "dan")).isEqualTo(ClaimResult.CLAIMED);
		}
		finally {
			commands.opsForZSet().remove(keys.nodes(), "node-restarted");
			commands.delete(keys.run("node-restarted"));
		}
	}

	@Test
	void claimsAreWrittenAgainAfterRedisRestarts() {
		try (TwoNodes restarting = TwoNodes.start("claims-restart")) {
			ClusterNode a2 = restarting.a();
			ClusterNode b2 = restarting.b();
			Tab onA = open(a2);
			Tab onB = open(b2);
			assertThat(a2.registry().claim(onA.channel(), "restart", "erin")).isEqualTo(ClaimResult.CLAIMED);

			restarting.redis().stop();
			await().atMost(WAIT).until(() -> a2.relay().state() == ClusterRelay.State.DOWN);
			assertThat(b2.registry().claim(onB.channel(), "restart", "frank")).isEqualTo(ClaimResult.UNAVAILABLE);
			restarting.redis().restart();
			await().atMost(WAIT)
				.until(() -> a2.relay().state() == ClusterRelay.State.UP
						&& b2.relay().state() == ClusterRelay.State.UP);

			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(a2.bean(StringRedisTemplate.class)
					.opsForHash()
					.get(new RedisKeys("claims-restart").claims("echo", "restart"), "erin")).isNotNull());
			assertThat(b2.registry().claim(onB.channel(), "restart", "erin")).isEqualTo(ClaimResult.TAKEN);
			assertThat(a2.registry().isOpen(onA.channel())).isTrue();
		}
	}

	@Test
	void channelsAndClaimsAreWrittenAgainWhenRedisIsFlushedBetweenTwoHeartbeats() {
		RedisKeys keys = new RedisKeys("claims-flush");
		try (TwoNodes flushed = TwoNodes.start("claims-flush")) {
			ClusterNode a2 = flushed.a();
			ClusterNode b2 = flushed.b();
			Tab onA = open(a2);
			Tab onB = open(b2);
			assertThat(a2.registry().claim(onA.channel(), "flush", "ivan")).isEqualTo(ClaimResult.CLAIMED);
			StringRedisTemplate commands = a2.bean(StringRedisTemplate.class);

			commands.execute((RedisCallback<Object>) (connection) -> {
				connection.serverCommands().flushAll();
				return null;
			});
			// Nothing failed, so the relay stays up: a heartbeat finds what Redis lost
			await().atMost(WAIT)
				.untilAsserted(
						() -> assertThat(commands.opsForHash().get(keys.claims("echo", "flush"), "ivan")).isNotNull());
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(
						commands.opsForHash().hasKey(keys.channels("node-a"), onA.channel().toString()))
					.isTrue());
			assertThat(b2.registry().claim(onB.channel(), "flush", "ivan")).isEqualTo(ClaimResult.TAKEN);
			await().atMost(WAIT).untilAsserted(() -> assertThat(b2.registry().isOpen(onA.channel())).isTrue());
			assertThat(a2.relay().state()).isEqualTo(ClusterRelay.State.UP);
		}
	}

	@Test
	void channelWhoseValueAnotherNodeClaimedWhileItsNodeWasCutOffIsClosedWith1013() {
		try (RedisProxy proxy = RedisProxy.start(cluster.redis());
				ClusterNode c = cluster.startNode("node-c-cut", proxy)) {
			ClusterNode.awaitAlive(a, b, c);
			Tab grace = open(c);
			Tab heidi = open(c);
			assertThat(c.registry().claim(grace.channel(), "cut", "grace")).isEqualTo(ClaimResult.CLAIMED);
			assertThat(c.registry().claim(heidi.channel(), "cut", "heidi")).isEqualTo(ClaimResult.CLAIMED);
			Tab onA = open(a);
			assertThat(a.registry().claim(onA.channel(), "cut", "grace")).isEqualTo(ClaimResult.TAKEN);

			proxy.cut();
			await().atMost(WAIT).until(() -> !a.relay().otherNodes().contains("node-c-cut"));
			assertThat(a.registry().claim(onA.channel(), "cut", "grace")).isEqualTo(ClaimResult.CLAIMED);
			proxy.restore();

			assertThat(grace.client().awaitClose().getCode()).isEqualTo(1013);
			assertThat(grace.client().awaitClose().getReason()).isEqualTo("Claim lost; reconnect");
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.UP);
			assertThat(c.registry().isOpen(heidi.channel())).isTrue();
			assertThat(a.registry().claim(onA.channel(), "cut", "heidi")).isEqualTo(ClaimResult.TAKEN);
		}
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Tab open(ClusterNode node) {
		String id = "claim-" + ids.incrementAndGet();
		WebSocketTestClient client = node.connect(id);
		return new Tab(node, client, node.channel(id));
	}

	record Tab(ClusterNode node, WebSocketTestClient client, Channel channel) {

	}

}
