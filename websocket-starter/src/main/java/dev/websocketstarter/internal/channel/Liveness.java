package dev.websocketstarter.internal.channel;

/**
 * Whether a channel's peer is alive and active: it is pinged after {@code ping-interval}
 * without anything from it, is dead when it leaves a ping unanswered for another
 * interval, and is idle after {@code idle-timeout} without a text or binary message.
 * Times are {@link System#nanoTime()} readings, passed in. The heartbeat thread checks;
 * the connection's threads record what arrives, the writer when the ping went out.
 */
final class Liveness {

	/**
	 * What the heartbeat should do about the channel.
	 */
	enum Verdict {

		/** Nothing. */
		NONE,

		/** Queue a ping. */
		PING,

		/** Close it: a ping went unanswered. */
		PING_TIMEOUT,

		/** Close it: no message came within the idle timeout. */
		IDLE_TIMEOUT,

		/** Close it: a message in parts did not end within its time limit. */
		MESSAGE_TIMEOUT

	}

	private final long pingIntervalNanos;

	private final long idleTimeoutNanos;

	private final long messageTimeLimitNanos;

	/** When the first part of the message in parts came; 0 when none is. */
	private volatile long messageStartedNanos;

	private volatile long lastReceivedNanos;

	private volatile long lastDataNanos;

	/** When the unanswered ping was written; 0 when none is outstanding. */
	private volatile long pingWrittenNanos;

	/** Heartbeat thread only. */
	private long pingQueuedNanos;

	/**
	 * Create the liveness of a channel that opened now.
	 * @param pingIntervalNanos the ping interval, 0 for no pings
	 * @param idleTimeoutNanos the idle timeout, 0 for none
	 * @param messageTimeLimitNanos how long a message in parts may take, 0 for ever
	 * @param now the time the channel opened
	 */
	Liveness(long pingIntervalNanos, long idleTimeoutNanos, long messageTimeLimitNanos, long now) {
		this.pingIntervalNanos = pingIntervalNanos;
		this.idleTimeoutNanos = idleTimeoutNanos;
		this.messageTimeLimitNanos = messageTimeLimitNanos;
		this.lastReceivedNanos = now;
		this.lastDataNanos = now;
		this.pingQueuedNanos = now;
	}

	/**
	 * The peer sent something: any frame proves the connection is alive.
	 * @param data whether it was a text or binary message
	 */
	void received(boolean data, long now) {
		this.lastReceivedNanos = now;
		this.pingWrittenNanos = 0;
		if (data) {
			this.lastDataNanos = now;
			this.messageStartedNanos = 0;
		}
	}

	/**
	 * The first part of a message came: the rest must follow within the time limit,
	 * whatever else the peer sends meanwhile.
	 */
	void messageStarted(long now) {
		this.messageStartedNanos = now;
	}

	/**
	 * A ping was handed to the connection; a second one before the answer changes
	 * nothing.
	 */
	void pingWritten(long now) {
		if (this.pingWrittenNanos == 0) {
			this.pingWrittenNanos = now;
		}
	}

	/**
	 * Decide what the heartbeat does; heartbeat thread only.
	 */
	Verdict check(long now) {
		boolean ping = false;
		if (this.pingIntervalNanos > 0) {
			long pingWritten = this.pingWrittenNanos;
			if (pingWritten != 0 && now - pingWritten > this.pingIntervalNanos) {
				return Verdict.PING_TIMEOUT;
			}
			if (pingWritten == 0 && now - this.pingQueuedNanos >= this.pingIntervalNanos
					&& now - this.lastReceivedNanos >= this.pingIntervalNanos) {
				this.pingQueuedNanos = now;
				ping = true;
			}
		}
		if (this.idleTimeoutNanos > 0 && now - this.lastDataNanos > this.idleTimeoutNanos) {
			return Verdict.IDLE_TIMEOUT;
		}
		long started = this.messageStartedNanos;
		if (this.messageTimeLimitNanos > 0 && started != 0 && now - started > this.messageTimeLimitNanos) {
			return Verdict.MESSAGE_TIMEOUT;
		}
		return ping ? Verdict.PING : Verdict.NONE;
	}

}
