package dev.websocketstarter.cluster;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.jspecify.annotations.Nullable;

/**
 * The relay's threads: the relay thread, which talks to Redis and publishes, and the
 * thread that applies in order what other nodes meant for this one; and which threads may
 * wait for Redis to acknowledge a subscription.
 */
final class RelayThreads {

	private final ScheduledThreadPoolExecutor relay;

	private final ThreadPoolExecutor applier;

	private volatile @Nullable Thread relayThread;

	RelayThreads() {
		this.relay = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "ws-cluster-relay");
			thread.setDaemon(true);
			this.relayThread = thread;
			return thread;
		});
		this.relay.setRemoveOnCancelPolicy(true);
		this.applier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread thread = new Thread(task, "ws-cluster-inbound");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * The relay thread: every Redis write runs there, one at a time.
	 */
	ScheduledThreadPoolExecutor relay() {
		return this.relay;
	}

	/**
	 * The thread that applies, in order, the sends, subscribes and closes other nodes
	 * meant for this one's channels.
	 */
	Executor applier() {
		return this.applier;
	}

	/**
	 * Whether the calling thread may wait for Redis to acknowledge a subscription: not
	 * the relay thread, which publishes what the others wait for, nor one of Lettuce's
	 * event loops, which delivers the acknowledgement.
	 */
	boolean mayWait() {
		Thread current = Thread.currentThread();
		return current != this.relayThread && !(current instanceof FastThreadLocalThread);
	}

	/**
	 * Let the relay thread finish what it was given, within a timeout, and stop both.
	 */
	void stop(long timeoutMillis) {
		this.relay.shutdown();
		this.applier.shutdown();
		try {
			if (!this.relay.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
				this.relay.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
