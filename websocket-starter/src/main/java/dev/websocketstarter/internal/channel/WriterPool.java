package dev.websocketstarter.internal.channel;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A node's writer threads. A channel with something to write gets a task of its own,
 * except after a multicast: the channels it starts writers for are drained in a few
 * tasks, one per writer thread at most, each writing a run of them in turn.
 * <p>
 * Handing a multicast to 1,000 subscribers over as 1,000 tasks costs 1,000 hand-offs
 * through the pool's queue and wakes writer threads that then take turns on a few cores
 * with the threads that read; a few large tasks write the same frames with a few
 * hand-offs. Only for connections that never block: a write that blocks on its peer would
 * hold up the rest of its run.
 */
final class WriterPool implements Executor {

	/**
	 * Fewer channels than this are not split further: a task per few channels would cost
	 * more hand-offs than it saves time.
	 */
	static final int MIN_CHANNELS_PER_TASK = 64;

	private final ThreadPoolExecutor threads;

	private final int size;

	WriterPool(int size) {
		this.size = size;
		this.threads = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				new DaemonThreads("ws-writer-"));
	}

	@Override
	public void execute(Runnable task) {
		this.threads.execute(task);
	}

	/**
	 * Drain the channels whose writers a multicast claimed, in at most one task per
	 * writer thread. A writer the pool refuses is released: the node is stopping and the
	 * container closes the connection.
	 * @param writers the claimed writers, in the order the multicast queued to them
	 * @param count how many of them
	 */
	void drainAll(ChannelWriter[] writers, int count) {
		int tasks = Math.min(this.size, (count + MIN_CHANNELS_PER_TASK - 1) / MIN_CHANNELS_PER_TASK);
		for (int task = 0; task < tasks; task++) {
			int from = (int) ((long) count * task / tasks);
			int to = (int) ((long) count * (task + 1) / tasks);
			try {
				this.threads.execute(() -> {
					for (int i = from; i < to; i++) {
						writers[i].drainClaimed();
					}
				});
			}
			catch (RuntimeException ex) {
				for (int i = from; i < to; i++) {
					writers[i].release();
				}
			}
		}
	}

	/**
	 * The tasks handed to the writer threads so far.
	 */
	long tasksStarted() {
		return this.threads.getTaskCount();
	}

	void shutdown() {
		this.threads.shutdown();
	}

}
