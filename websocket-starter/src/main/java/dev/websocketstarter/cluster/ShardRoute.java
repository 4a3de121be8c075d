package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * One shard channel of {@link ShardRoutes}: this node's subscribers of its subscription,
 * and what Redis holds of it. Guarded by its own lock.
 */
final class ShardRoute {

	final String channel;

	final byte[] name;

	int subscribers;

	/** Whether Redis acknowledged this node's subscription, on this connection. */
	boolean subscribed;

	/** Whether a command is on its way to Redis. */
	boolean inFlight;

	/** The subscriber connection it was last sent on. */
	long generation;

	/** The follow, written under the lock (and cleared without it). */
	volatile long followed;

	boolean retired;

	/** What the subscribers waiting for an acknowledgement wait on. */
	@Nullable CompletableFuture<Void> pending;

	ShardRoute(String channel) {
		this.channel = channel;
		this.name = channel.getBytes(StandardCharsets.UTF_8);
	}

	CompletableFuture<Void> pending() {
		CompletableFuture<Void> pending = this.pending;
		if (pending == null) {
			pending = new CompletableFuture<>();
			this.pending = pending;
		}
		return pending;
	}

	void ready() {
		CompletableFuture<Void> pending = this.pending;
		this.pending = null;
		if (pending != null) {
			pending.complete(null);
		}
	}

	void failed(Throwable failure) {
		CompletableFuture<Void> pending = this.pending;
		this.pending = null;
		if (pending != null) {
			pending.completeExceptionally(failure);
		}
	}

}
