package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code capacity} tokens and refills at a fixed rate.
 */
final class TokenBucket {

	private final double capacity;

	private final double tokensPerNano;

	private final LongSupplier nanoTime;

	private double tokens;

	private long refilledAt;

	/**
	 * Create a full bucket.
	 * @param capacity the most tokens it holds, and holds at first
	 * @param tokens the tokens added every {@code per}
	 * @param per the period over which {@code tokens} are added
	 * @param nanoTime the clock
	 */
	TokenBucket(int capacity, int tokens, Duration per, LongSupplier nanoTime) {
		this.capacity = capacity;
		this.tokensPerNano = (double) tokens / per.toNanos();
		this.nanoTime = nanoTime;
		this.tokens = this.capacity;
		this.refilledAt = nanoTime.getAsLong();
	}

	/**
	 * Take a token if there is one.
	 * @return {@code true} if a token was taken
	 */
	synchronized boolean tryTake() {
		refill();
		if (this.tokens < 1) {
			return false;
		}
		this.tokens--;
		return true;
	}

	/**
	 * Whether it is full again, so that forgetting it loses nothing.
	 * @return {@code true} if it holds its capacity
	 */
	synchronized boolean isFull() {
		refill();
		return this.tokens >= this.capacity;
	}

	/**
	 * How long until a token is there.
	 * @return zero if one is there now
	 */
	synchronized Duration untilNext() {
		refill();
		return (this.tokens >= 1) ? Duration.ZERO
				: Duration.ofNanos((long) Math.ceil((1 - this.tokens) / this.tokensPerNano));
	}

	private void refill() {
		long now = this.nanoTime.getAsLong();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.tokensPerNano);
		this.refilledAt = now;
	}

}
