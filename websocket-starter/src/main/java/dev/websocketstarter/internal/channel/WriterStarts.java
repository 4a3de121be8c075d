package dev.websocketstarter.internal.channel;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The writers one multicast claims while it queues its message, started together once it
 * has queued to every subscriber: see {@link WriterPool#drainAll}. One per multicast, on
 * the multicasting thread.
 */
final class WriterStarts {

	private ChannelWriter[] writers = new ChannelWriter[16];

	private int count;

	private @Nullable WriterPool pool;

	/**
	 * Start this writer with the others.
	 * @param writer a writer whose channel has no writer running, claimed for this
	 * multicast
	 * @param pool the writer pool of the writer's node
	 */
	void add(ChannelWriter writer, WriterPool pool) {
		if (this.count == this.writers.length) {
			this.writers = Arrays.copyOf(this.writers, this.count * 2);
		}
		this.writers[this.count++] = writer;
		this.pool = pool;
	}

	/**
	 * Hand the claimed writers to the pool.
	 */
	void start() {
		WriterPool pool = this.pool;
		if (pool != null && this.count > 0) {
			pool.drainAll(this.writers, this.count);
		}
	}

}
