package dev.websocketstarter.internal.channel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChannelSubscriptions}.
 */
class ChannelSubscriptionsTests {

	@Test
	void addsAndRemovesOnce() {
		ChannelSubscriptions subscriptions = new ChannelSubscriptions();
		assertThat(subscriptions.add("a")).isTrue();
		assertThat(subscriptions.add("a")).isFalse();
		assertThat(subscriptions.add("b")).isTrue();
		assertThat(subscriptions.contains("a")).isTrue();
		assertThat(subscriptions).containsExactlyInAnyOrder("a", "b");
		assertThat(subscriptions.remove("a")).isTrue();
		assertThat(subscriptions.remove("a")).isFalse();
		assertThat(subscriptions.contains("a")).isFalse();
		assertThat(subscriptions.snapshot()).containsExactly("b");
		assertThat(subscriptions.remove("b")).isTrue();
		assertThat(subscriptions).isEmpty();
	}

	@Test
	void keepsWorkingPastTheSmallSet() {
		ChannelSubscriptions subscriptions = new ChannelSubscriptions();
		int count = ChannelSubscriptions.SMALL * 3;
		for (int i = 0; i < count; i++) {
			assertThat(subscriptions.add("s" + i)).isTrue();
			assertThat(subscriptions.add("s" + i)).isFalse();
		}
		assertThat(subscriptions.snapshot()).hasSize(count).contains("s0", "s" + (count - 1));
		for (int i = 0; i < count; i += 2) {
			assertThat(subscriptions.remove("s" + i)).isTrue();
		}
		assertThat(subscriptions.snapshot()).hasSize(count / 2).doesNotContain("s0").contains("s1");
	}

	@Test
	void iteratesOverWhatItHeldWhileChanged() {
		ChannelSubscriptions subscriptions = new ChannelSubscriptions();
		subscriptions.add("a");
		subscriptions.add("b");
		List<String> seen = new ArrayList<>();
		// As ChannelIndex.remove does: unsubscribing each while iterating
		for (String name : subscriptions) {
			seen.add(name);
			subscriptions.remove(name);
		}
		assertThat(seen).containsExactlyInAnyOrder("a", "b");
		assertThat(subscriptions).isEmpty();
	}

	@Test
	void losesNoChangeUnderConcurrentWriters() throws Exception {
		ChannelSubscriptions subscriptions = new ChannelSubscriptions();
		int threads = 4;
		int each = 50;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < each; i++) {
						subscriptions.add(thread + ":" + i);
						// Every other one leaves again, so removals race additions too
						if (i % 2 == 1) {
							subscriptions.remove(thread + ":" + i);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		Set<String> expected = IntStream.range(0, threads)
			.boxed()
			.flatMap((t) -> IntStream.range(0, each).filter((i) -> i % 2 == 0).mapToObj((i) -> t + ":" + i))
			.collect(Collectors.toSet());
		assertThat(new HashSet<>(subscriptions.snapshot())).isEqualTo(expected);
	}

}
