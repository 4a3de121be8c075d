package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Publishes messages for other nodes without making the caller wait for Redis: the caller
 * queues, the relay thread publishes what waits in one pipelined round trip, as one round
 * trip per message would cap cross-node delivery at the round-trip rate; publications
 * that can be sent as one command are. While Redis is down, or more than
 * {@code max-pending} publications wait (queued, or sent and not yet answered),
 * publications are dropped and counted.
 * <p>
 * The commands go through Lettuce's asynchronous API on the relay's own connection:
 * issued without waiting, they are pipelined, on a Redis Cluster to each shard, which
 * Spring Data Redis's pipelines do not do for every command there; and Spring Data Redis
 * has no {@code SPUBLISH}.
 */
final class Publisher {

	private static final int MAX_PIPELINE = 1024;

	private final RelayConnections connections;

	private final Executor relayThread;

	private final int maxPending;

	private final BooleanSupplier accepting;

	private final BooleanSupplier connected;

	private final Consumer<RuntimeException> failed;

	private final AtomicInteger pending = new AtomicInteger();

	/** Publications waiting for the relay thread, in the order they were made. */
	private final Queue<Publication> publications = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean publishing = new AtomicBoolean();

	private final LongAdder dropped = new LongAdder();

	/**
	 * Create a publisher.
	 * @param connections the relay's connections, whose commands it sends
	 * @param relayThread the thread that talks to Redis
	 * @param maxPending the most publications that may wait
	 * @param accepting whether the relay runs and reaches Redis, so that publications are
	 * queued
	 * @param connected whether the relay reaches Redis, so that queued publications are
	 * published
	 * @param failed told of a failed publication
	 */
	Publisher(RelayConnections connections, Executor relayThread, int maxPending, BooleanSupplier accepting,
			BooleanSupplier connected, Consumer<RuntimeException> failed) {
		this.connections = connections;
		this.relayThread = relayThread;
		this.maxPending = maxPending;
		this.accepting = accepting;
		this.connected = connected;
		this.failed = failed;
	}

	/**
	 * Queue a publication to a pub/sub channel.
	 * @return whether it was queued rather than dropped
	 */
	boolean publish(byte[] topic, byte[] payload) {
		return submit((commands) -> commands.publish(topic, payload));
	}

	/**
	 * Queue a publication to a shard channel.
	 * @return whether it was queued rather than dropped
	 */
	boolean publishSharded(byte[] channel, byte[] payload) {
		return submit((commands) -> commands.spublish(channel, payload));
	}

	/**
	 * Queue commands, such as a script that publishes.
	 * @return whether they were queued rather than dropped
	 */
	boolean submit(Publication publication) {
		if (!this.accepting.getAsBoolean()) {
			this.dropped.increment();
			publication.dropped();
			return false;
		}
		if (this.pending.incrementAndGet() > this.maxPending) {
			this.pending.decrementAndGet();
			this.dropped.increment();
			publication.dropped();
			return false;
		}
		this.publications.add(publication);
		schedule();
		return true;
	}

	/**
	 * Publications dropped because Redis was down or too many waited.
	 */
	long dropped() {
		return this.dropped.sum();
	}

	private void schedule() {
		if (this.publishing.compareAndSet(false, true)) {
			try {
				this.relayThread.execute(this::publishWaiting);
			}
			catch (RejectedExecutionException ex) {
				// The relay is stopping: what waits is dropped with it
				this.publishing.set(false);
			}
		}
	}

	private void publishWaiting() {
		List<Publication> batch = new ArrayList<>();
		int taken = 0;
		Publication waiting;
		while (taken < MAX_PIPELINE && (waiting = this.publications.poll()) != null) {
			taken++;
			if (batch.isEmpty() || !batch.get(batch.size() - 1).absorb(waiting)) {
				batch.add(waiting);
			}
		}
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.connections.commands();
		try {
			if (!batch.isEmpty()) {
				if (this.connected.getAsBoolean() && commands != null) {
					try {
						List<CompletionStage<?>> answers = new ArrayList<>(batch.size());
						for (Publication publication : batch) {
							answers.add(publication.send(commands));
						}
						long deadline = System.nanoTime() + this.connections.timeout().toNanos();
						for (CompletionStage<?> answer : answers) {
							RelayConnections.await(answer, deadline);
						}
					}
					catch (RuntimeException ex) {
						// Whether Redis ran them is unknown, as when a command timed out
						dropped(batch, taken);
						this.failed.accept(ex);
					}
				}
				else {
					dropped(batch, taken);
				}
			}
		}
		finally {
			// Until Redis answered, a batch on its way waits for Redis too: max-pending
			// bounds them with the queued ones
			this.pending.addAndGet(-taken);
		}
		this.publishing.set(false);
		if (!this.publications.isEmpty()) {
			schedule();
		}
	}

	private void dropped(List<Publication> batch, int taken) {
		this.dropped.add(taken);
		batch.forEach(Publication::dropped);
	}

	/**
	 * Commands sent in the relay thread's pipeline.
	 */
	@FunctionalInterface
	interface Publication {

		/**
		 * Send the command, without waiting for Redis.
		 * @param commands the relay's commands
		 * @return the answer of Redis, to come
		 */
		CompletionStage<?> send(RedisClusterAsyncCommands<byte[], byte[]> commands);

		/**
		 * Take the publication that waited next, to send them as one.
		 * @param next the publication queued right after this one
		 * @return whether this one sends it too
		 */
		default boolean absorb(Publication next) {
			return false;
		}

		/**
		 * Told when the publication was dropped, or may not have reached Redis.
		 */
		default void dropped() {
		}

	}

}
