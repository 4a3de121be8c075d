package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Publishes messages for other nodes without making the caller wait for Redis: the caller
 * queues, the relay thread publishes what waits in one pipelined round trip, as one round
 * trip per message would cap cross-node delivery at the round-trip rate; publications
 * that can be sent as one command are. While Redis is down, or more than
 * {@code max-pending} publications wait (queued, or sent and not yet answered),
 * publications are dropped and counted.
 */
final class Publisher {

	private static final int MAX_PIPELINE = 1024;

	private final StringRedisTemplate redis;

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
	 * @param redis the Redis commands
	 * @param relayThread the thread that talks to Redis
	 * @param maxPending the most publications that may wait
	 * @param accepting whether the relay runs and reaches Redis, so that publications are
	 * queued
	 * @param connected whether the relay reaches Redis, so that queued publications are
	 * published
	 * @param failed told of a failed publication
	 */
	Publisher(StringRedisTemplate redis, Executor relayThread, int maxPending, BooleanSupplier accepting,
			BooleanSupplier connected, Consumer<RuntimeException> failed) {
		this.redis = redis;
		this.relayThread = relayThread;
		this.maxPending = maxPending;
		this.accepting = accepting;
		this.connected = connected;
		this.failed = failed;
	}

	/**
	 * Queue a publication.
	 * @return whether it was queued rather than dropped
	 */
	boolean publish(byte[] topic, byte[] payload) {
		return submit((connection) -> connection.publish(topic, payload));
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
		try {
			if (!batch.isEmpty()) {
				if (this.connected.getAsBoolean()) {
					try {
						Pipeline.run(this.redis, (connection) -> {
							for (Publication publication : batch) {
								publication.send(connection);
							}
						});
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
		 * Add the commands to the pipeline.
		 * @param connection the pipelined connection
		 */
		void send(StringRedisConnection connection);

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
