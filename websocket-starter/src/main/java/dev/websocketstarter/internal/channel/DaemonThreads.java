package dev.websocketstarter.internal.channel;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the starter's daemon threads, numbered after a prefix, so that they never keep
 * the JVM alive and show in a thread dump by name.
 */
public final class DaemonThreads implements ThreadFactory {

	private final String prefix;

	private final AtomicInteger count = new AtomicInteger();

	/**
	 * Create a factory.
	 * @param prefix the start of each thread's name, such as {@code ws-writer-}
	 */
	public DaemonThreads(String prefix) {
		this.prefix = prefix;
	}

	@Override
	public Thread newThread(Runnable task) {
		Thread thread = new Thread(task, this.prefix + this.count.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	}

}
