package dev.websocketstarter.internal.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link SubscriptionIndex}.
 */
class SubscriptionIndexTests {

	private final SubscriptionIndex<String> index = new SubscriptionIndex<>();

	@Test
	void subscribersAreKeptPerSubscription() {
		this.index.add("news", "alice");
		this.index.add("news", "bob");
		this.index.add("sport", "bob");
		assertThat(this.index.subscribers("news")).containsExactlyInAnyOrder("alice", "bob");
		assertThat(this.index.count("sport")).isOne();
		assertThat(this.index.counts()).containsExactly(entry("news", 2), entry("sport", 1));
	}

	@Test
	void subscriptionLeavesWithItsLastSubscriber() {
		this.index.add("news", "alice");
		this.index.add("news", "bob");
		this.index.remove("news", "alice");
		assertThat(this.index.size()).isOne();
		this.index.remove("news", "bob");
		assertThat(this.index.subscribers("news")).isNull();
		assertThat(this.index.count("news")).isZero();
		assertThat(this.index.size()).isZero();
	}

	@Test
	void removingAnUnknownSubscriberChangesNothing() {
		this.index.add("news", "alice");
		this.index.remove("news", "bob");
		this.index.remove("sport", "alice");
		assertThat(this.index.subscribers("news")).containsExactly("alice");
		assertThat(this.index.size()).isOne();
	}

	@Test
	void concurrentJoinsAndLeavesLoseNoSubscriber() {
		List<CompletableFuture<Void>> threads = new ArrayList<>();
		for (int thread = 0; thread < 4; thread++) {
			int first = thread * 1000;
			threads.add(CompletableFuture.runAsync(() -> IntStream.range(first, first + 1000).forEach((i) -> {
				this.index.add("room", "stays-" + i);
				this.index.add("room", "leaves-" + i);
				this.index.remove("room", "leaves-" + i);
			})));
		}
		threads.forEach(CompletableFuture::join);
		assertThat(this.index.count("room")).isEqualTo(4000);
		assertThat(this.index.subscribers("room")).allMatch((subscriber) -> subscriber.startsWith("stays-"));
	}

}
