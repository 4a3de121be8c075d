package dev.websocketstarter.sample.chat;

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

	TokenBucket(ChatProperties.RateLimit limit, LongSupplier nanoTime) {
		this.capacity = limit.burst();
		this.tokensPerNano = (double) limit.messages() / limit.per().toNanos();
		this.nanoTime = nanoTime;
		this.tokens = this.capacity;
		this.refilledAt = nanoTime.getAsLong();
	}

	/**
	 * Take a token if there is one.
	 * @return {@code true} if a token was taken
	 */
	synchronized boolean tryTake() {
		long now = this.nanoTime.getAsLong();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.tokensPerNano);
		this.refilledAt = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens--;
		return true;
	}

}
