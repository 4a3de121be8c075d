package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenBucket}.
 */
class TokenBucketTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final TokenBucket bucket = new TokenBucket(new ChatProperties.RateLimit(5, Duration.ofSeconds(1), 10),
			this.now::get);

	@Test
	void fullBucketAllowsABurstThenRefuses() {
		assertThat(take(10)).isEqualTo(10);
		assertThat(this.bucket.tryTake()).isFalse();
	}

	@Test
	void bucketRefillsAtTheConfiguredRate() {
		take(10);
		this.now.addAndGet(Duration.ofMillis(199).toNanos());
		assertThat(this.bucket.tryTake()).isFalse();
		this.now.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(this.bucket.tryTake()).isTrue();
		assertThat(this.bucket.tryTake()).isFalse();
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(take(10)).isEqualTo(5);
	}

	@Test
	void bucketNeverHoldsMoreThanTheBurst() {
		this.now.addAndGet(Duration.ofHours(1).toNanos());
		assertThat(take(20)).isEqualTo(10);
	}

	private int take(int attempts) {
		int taken = 0;
		for (int i = 0; i < attempts; i++) {
			if (this.bucket.tryTake()) {
				taken++;
			}
		}
		return taken;
	}

}
