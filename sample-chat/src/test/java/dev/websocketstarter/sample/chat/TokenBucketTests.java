package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link TokenBucket}.
 */
class TokenBucketTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final TokenBucket bucket = new TokenBucket(10, 5, Duration.ofSeconds(1), this.now::get);

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

	@Test
	void emptyBucketSaysWhenTheNextTokenComesAndWhenItIsFullAgain() {
		assertThat(this.bucket.isFull()).isTrue();
		take(10);
		assertThat(this.bucket.untilNext().toNanos()).isCloseTo(200_000_000L, within(1_000L));
		this.now.addAndGet(Duration.ofMillis(50).toNanos());
		assertThat(this.bucket.untilNext().toNanos()).isCloseTo(150_000_000L, within(1_000L));
		this.now.addAndGet(Duration.ofMillis(1950).toNanos());
		assertThat(this.bucket.isFull()).isTrue();
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
