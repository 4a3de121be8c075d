package dev.websocketstarter.cluster;

import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ClaimResult;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClusterRelay} when Redis loses its keys while the nodes stay
 * connected, as after a {@code FLUSHALL} or a restart quicker than a failed command.
 */
class ClusterFlushIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PREFIX = "flush";

	private RedisServer redis;

	private ClusterNode a;

	private ClusterNode b;

	@AfterEach
	void stopCluster() {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
		if (this.redis != null) {
			this.redis.stop();
		}
	}

	@Test
	void channelsSubscriptionsAndClaimsComeBackAfterRedisIsFlushed() {
		this.redis = RedisServer.start();
		this.a = ClusterNode.start("node-a", this.redis, PREFIX);
		this.b = ClusterNode.start("node-b", this.redis, PREFIX);
		ClusterNode.awaitAlive(this.a, this.b);
		WebSocketTestClient a1 = this.a.connect("a1");
		this.b.connect("b1");
		Channel a1Channel = this.a.channel("a1");
		Channel b1Channel = this.b.channel("b1");
		assertThat(this.a.registry().subscribe(a1Channel, "flush-room")).isTrue();
		assertThat(this.a.registry().claim(a1Channel, "name", "alice")).isEqualTo(ClaimResult.CLAIMED);
		await().atMost(WAIT).until(() -> this.b.registry().subscriberCount("flush-room") == 1);
		StringRedisTemplate redis = this.b.bean(StringRedisTemplate.class);
		RedisKeys keys = new RedisKeys(PREFIX);
		assertThat(redis.opsForHash().hasKey(keys.channels("node-a"), a1Channel.toString())).isTrue();

		redis.execute((connection) -> {
			connection.serverCommands().flushAll();
			return null;
		}, true);

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(redis.opsForZSet().range(keys.nodes(), 0, -1)).containsExactlyInAnyOrder("node-a", "node-b");
			assertThat(redis.opsForHash().hasKey(keys.channels("node-a"), a1Channel.toString())).isTrue();
			assertThat(redis.opsForHash().hasKey(keys.channels("node-b"), b1Channel.toString())).isTrue();
		});
		// Node B reads node A's channels from Redis again, and Redis holds node A's claim
		ClusterNode.awaitAlive(this.a, this.b);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.b.registry().subscriberCount("flush-room")).isEqualTo(1);
			assertThat(this.b.registry().subscriptions(a1Channel)).contains("flush-room");
		});
		assertThat(this.b.registry().claim(b1Channel, "name", "alice")).isEqualTo(ClaimResult.TAKEN);
		this.b.registry().multicast("flush-room", "after the flush");
		a1.awaitText("after the flush");
	}

}
