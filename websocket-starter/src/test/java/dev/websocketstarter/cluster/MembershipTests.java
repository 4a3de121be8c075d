package dev.websocketstarter.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Membership}.
 */
class MembershipTests {

	private final Membership membership = new Membership("node-a", new RedisKeys("websocket"), 2000);

	@Test
	void whoeverSeesTheRelayDownSeesWhy() {
		CountDownLatch seenDown = new CountDownLatch(1);
		AtomicReference<@Nullable String> failureSeen = new AtomicReference<>("not read");
		CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.membership.state() == ClusterRelay.State.DOWN);
			failureSeen.set(this.membership.lastFailure());
			seenDown.countDown();
		});
		// Its message takes a while: long enough for a watcher to look in between, were
		// the relay marked down before its reason is kept
		this.membership.down(new IllegalStateException() {

			@Override
			public String getMessage() {
				try {
					seenDown.await(200, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return "Redis command timed out";
			}

		});
		watcher.join();
		assertThat(failureSeen.get()).isEqualTo("Redis command timed out");
	}

}
