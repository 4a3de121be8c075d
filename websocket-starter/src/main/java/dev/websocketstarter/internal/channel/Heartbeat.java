package dev.websocketstarter.internal.channel;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The node's heartbeat, on one daemon thread: each channel's pings, idle and send time
 * checks, and the end of blocking writes to connections that closed under them. Off when
 * no app pings, times out or limits its send time.
 */
final class Heartbeat {

	private final Duration period;

	private final Collection<LocalChannel> channels;

	private final @Nullable ScheduledExecutorService executor;

	/**
	 * Channels the node forgot whose writer was still in a blocking write: a write that
	 * blocks too long is ended here.
	 */
	private final Set<LocalChannel> closedInWrite = ConcurrentHashMap.newKeySet();

	/**
	 * Create a heartbeat.
	 * @param period how often it beats; zero for never
	 * @param channels the node's channels, a live view
	 */
	Heartbeat(Duration period, Collection<LocalChannel> channels) {
		this.period = period;
		this.channels = channels;
		this.executor = period.isZero() ? null : new ScheduledThreadPoolExecutor(1, new DaemonThreads("ws-heartbeat-"));
	}

	/**
	 * Watch a channel the node forgot while its writer was in a blocking write.
	 */
	void closedInWrite(LocalChannel channel) {
		this.closedInWrite.add(channel);
	}

	void start() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			long period = this.period.toNanos();
			executor.scheduleAtFixedRate(this::beat, period, period, TimeUnit.NANOSECONDS);
		}
	}

	void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	private void beat() {
		long now = System.nanoTime();
		try {
			this.closedInWrite.removeIf((channel) -> channel.endBlockedWrite(now));
		}
		catch (RuntimeException ex) {
			LocalNode.logger.warn("Ending a blocked write failed", ex);
		}
		for (LocalChannel channel : this.channels) {
			try {
				channel.heartbeat(now);
			}
			catch (RuntimeException ex) {
				LocalNode.logger.warn("Heartbeat of channel " + channel + " failed", ex);
			}
		}
	}

}
