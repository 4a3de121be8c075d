package dev.websocketstarter.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.internal.transport.Connection;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A channel held by this node: its connection, subscriptions, bounded outbound queue and
 * liveness.
 * <p>
 * Sending threads only enqueue. One writer at a time, on the registry's writer pool,
 * drains the queue into the {@link Connection}: the starter's own transport takes the
 * frames without blocking and says when its full output can take more; a container's
 * blocks, and the heartbeat bounds a write that blocks too long. Closing goes through the
 * same writer, so a close frame never overtakes queued messages nor races a write.
 */
final class LocalChannel {

	/**
	 * Messages written between flushes, so one busy channel does not hold a writer thread
	 * for long.
	 */
	private static final int MAX_BATCH = 256;

	private static final int OPEN = 0;

	private static final int CLOSING = 1;

	private static final int CLOSED = 2;

	final Channel handle;

	final String url;

	final AppSettings app;

	final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

	final AppStats stats;

	private final LocalNode node;

	private final Connection connection;

	/**
	 * When the writer asked a blocking connection to close, or 0. A container layer that
	 * has not closed it {@code send-time-limit} later (a write to a stuck peer or a close
	 * frame never answered) gets it aborted by the heartbeat.
	 */
	private volatile long closeRequestedNanos;

	/**
	 * Whether the connection was asked to close, or was aborted after
	 * {@code send-time-limit}: a 1006 it reports then is the starter's close, not a lost
	 * connection.
	 */
	private volatile boolean closeHandedOver;

	/** Heartbeat thread only. */
	private boolean closeEnforced;

	private final Executor writers;

	private final long sendBufferLimit;

	private final long sendTimeLimitNanos;

	private final long pingIntervalNanos;

	private final long idleTimeoutNanos;

	private final Queue<Outbound> queue = new ConcurrentLinkedQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicBoolean draining = new AtomicBoolean();

	/** The output that was full can take frames again since the writer last started. */
	private volatile boolean writePossible;

	/** Messages written in the current batch; the writer's own. */
	private int batchWritten;

	private final AtomicInteger state = new AtomicInteger(OPEN);

	private final AtomicBoolean closeNotified = new AtomicBoolean();

	private volatile @Nullable CloseStatus closeStatus;

	/**
	 * When the current batch started writing, or the output stopped taking frames; 0
	 * while all is written.
	 */
	private volatile long writeStartedNanos;

	private volatile long lastReceivedNanos;

	private volatile long lastDataNanos;

	/** When the unanswered ping was written; 0 when none is outstanding. */
	private volatile long pingWrittenNanos;

	private long pingQueuedNanos;

	LocalChannel(Channel handle, String url, AppSettings app, Connection connection, LocalNode node, Executor writers,
			AppStats stats) {
		this.handle = handle;
		this.url = url;
		this.app = app;
		this.connection = connection;
		this.node = node;
		this.writers = writers;
		this.stats = stats;
		this.sendBufferLimit = app.sendBufferLimit().toBytes();
		this.sendTimeLimitNanos = app.sendTimeLimit().toNanos();
		this.pingIntervalNanos = app.pingInterval().toNanos();
		this.idleTimeoutNanos = app.idleTimeout().toNanos();
		long now = System.nanoTime();
		this.lastReceivedNanos = now;
		this.lastDataNanos = now;
		this.pingQueuedNanos = now;
	}

	boolean isOpen() {
		return this.state.get() == OPEN;
	}

	long dropped() {
		return this.dropped.get();
	}

	long queuedBytes() {
		return this.queuedBytes.get();
	}

	/**
	 * Queue a message, applying the send limits.
	 * @param message the message
	 * @param now {@link System#nanoTime()} as read by the caller, once per multicast
	 */
	SendResult enqueue(Outbound message, long now) {
		if (this.state.get() != OPEN) {
			return SendResult.CLOSED;
		}
		if (isWriteTooLong(now)) {
			return rejectSlowConsumer("Send time limit exceeded",
					"a write took longer than send-time-limit " + this.app.sendTimeLimit());
		}
		int size = message.size();
		long queued = this.queuedBytes.addAndGet(size);
		// The limit bounds the backlog: a message larger than the limit still goes to an
		// empty queue
		if (queued > this.sendBufferLimit && queued != size) {
			if (this.app.overflow() == OverflowPolicy.CLOSE) {
				this.queuedBytes.addAndGet(-size);
				return rejectSlowConsumer("Send buffer limit exceeded", "its peer reads too slowly, more than"
						+ " send-buffer-limit " + this.app.sendBufferLimit() + " is queued");
			}
			this.queue.add(message);
			dropOldest();
		}
		else {
			this.queue.add(message);
		}
		scheduleDrain();
		return SendResult.QUEUED;
	}

	private boolean isWriteTooLong(long now) {
		long writeStarted = this.writeStartedNanos;
		return writeStarted != 0 && now - writeStarted > this.sendTimeLimitNanos;
	}

	/**
	 * Close this channel with 1008 for reading too slowly, counted and logged once.
	 * @param why the reason for the log, phrased to follow "Closing channel x with 1008:
	 * "
	 */
	private SendResult rejectSlowConsumer(String reason, String why) {
		if (this.node.forceClose(this, CloseStatus.POLICY_VIOLATION.withReason(reason))) {
			this.stats.slowConsumer();
			LocalNode.logger.warn("Closing channel " + this + " with 1008: " + why);
		}
		return SendResult.REJECTED;
	}

	private void dropOldest() {
		while (this.queuedBytes.get() > this.sendBufferLimit) {
			Outbound oldest = this.queue.poll();
			if (oldest == null) {
				return;
			}
			this.queuedBytes.addAndGet(-oldest.size());
			this.stats.dropped();
			if (this.dropped.getAndIncrement() == 0) {
				this.node.droppingStarted(this);
			}
		}
	}

	/**
	 * Ask the writer to close the connection once the queue is written.
	 */
	boolean closeGracefully(CloseStatus status) {
		if (!this.state.compareAndSet(OPEN, CLOSING)) {
			return false;
		}
		this.closeStatus = status;
		scheduleDrain();
		return true;
	}

	/**
	 * Discard the queue and ask the writer to close the connection as soon as it is free.
	 */
	boolean closeNow(CloseStatus status) {
		if (this.state.getAndSet(CLOSED) == CLOSED) {
			return false;
		}
		this.closeStatus = status;
		this.queue.clear();
		this.queuedBytes.set(0);
		// The writer may be blocked in a container's write to the peer
		requestedClose();
		scheduleDrain();
		return true;
	}

	private void requestedClose() {
		if (this.closeRequestedNanos == 0) {
			this.closeRequestedNanos = System.nanoTime();
		}
	}

	/**
	 * The connection is gone: nothing more will be written.
	 */
	void markClosed() {
		this.state.set(CLOSED);
		this.queue.clear();
		this.queuedBytes.set(0);
	}

	@Nullable InetSocketAddress remoteAddress() {
		return this.connection.remoteAddress();
	}

	boolean isConnectionOpen() {
		return this.connection.isOpen();
	}

	/**
	 * Close a broken connection without waiting for anything.
	 */
	void abort() {
		this.connection.abort();
	}

	/**
	 * The status to tell the handler of: the one the server closed with when the
	 * connection had been asked to close and then ended without a close frame, as when it
	 * was aborted after {@code send-time-limit}; the connection's otherwise. The
	 * starter's transport reports the status it sent itself.
	 * @param reported the status the connection reported
	 */
	CloseStatus closeStatus(CloseStatus reported) {
		CloseStatus sent = this.closeStatus;
		return (sent != null && this.closeHandedOver && reported.equalsCode(CloseStatus.NO_CLOSE_FRAME)) ? sent
				: reported;
	}

	/**
	 * Whether the writer is in a write to a connection that may block.
	 */
	boolean isInBlockingWrite() {
		return this.connection.blocks() && this.writeStartedNanos != 0;
	}

	/**
	 * For a channel whose connection closed while the writer was in a blocking write:
	 * drop the connection if that write has been blocked longer than
	 * {@code send-time-limit}. Runs on the heartbeat thread.
	 * @return whether the channel needs no more checks
	 */
	boolean endBlockedWrite(long now) {
		if (!isInBlockingWrite()) {
			return true;
		}
		if (isWriteTooLong(now)) {
			abort();
			return true;
		}
		return false;
	}

	/**
	 * Drop a blocking connection the starter closed; heartbeat thread only.
	 */
	private void enforceClose() {
		if (!this.closeEnforced) {
			this.closeEnforced = true;
			this.closeHandedOver = true;
			abort();
		}
	}

	boolean notifyClosedOnce() {
		return this.closeNotified.compareAndSet(false, true);
	}

	private void scheduleDrain() {
		if (this.draining.compareAndSet(false, true)) {
			try {
				this.writers.execute(this::drain);
			}
			catch (RuntimeException ex) {
				// The writer pool is shut down: the node is stopping and the container
				// closes the connection
				this.draining.set(false);
			}
		}
	}

	/**
	 * The connection's full output can take frames again.
	 */
	void writePossible() {
		this.writePossible = true;
		scheduleDrain();
	}

	private void drain() {
		this.writePossible = false;
		boolean written = true;
		try {
			if (this.state.get() != CLOSED) {
				written = writeBatch();
			}
			int current = this.state.get();
			if (current == CLOSED || (current == CLOSING && this.queue.isEmpty() && written)) {
				closeSession();
				return;
			}
		}
		catch (IOException | RuntimeException ex) {
			// Over: no write to wait for
			this.writeStartedNanos = 0;
			this.node.writeFailed(this, ex);
			return;
		}
		this.draining.set(false);
		if (!written) {
			// The output calls writePossible() when it drained; it may have done so, or
			// closeNow() may have asked for the close, while this drain still ran
			if (this.writePossible || this.state.get() == CLOSED) {
				scheduleDrain();
			}
			return;
		}
		if (!this.queue.isEmpty() || this.state.get() != OPEN) {
			scheduleDrain();
		}
	}

	/**
	 * Hand a batch to the connection.
	 * @return whether it all went out; if not, the output is full and the writer resumes
	 * when it calls {@link #writePossible()}
	 */
	private boolean writeBatch() throws IOException {
		if (this.writeStartedNanos == 0) {
			this.writeStartedNanos = System.nanoTime();
		}
		this.batchWritten = 0;
		boolean written = this.connection.write(this::nextToWrite);
		if (written) {
			this.writeStartedNanos = 0;
		}
		return written;
	}

	/**
	 * The next message of the batch, taken off the queue and counted as sent: handed to
	 * the transport.
	 */
	private @Nullable Outbound nextToWrite() {
		if (this.batchWritten == MAX_BATCH) {
			return null;
		}
		Outbound message = this.queue.poll();
		if (message != null) {
			this.batchWritten++;
			this.queuedBytes.addAndGet(-message.size());
			if (message == Outbound.Ping.INSTANCE) {
				if (this.pingWrittenNanos == 0) {
					this.pingWrittenNanos = System.nanoTime();
				}
			}
			else {
				this.stats.sent(message.size());
			}
		}
		return message;
	}

	private void closeSession() {
		requestedClose();
		CloseStatus status = this.closeStatus;
		boolean blocking = this.connection.blocks();
		if (blocking) {
			// A container's close writes its close frame, and may block on the peer as a
			// write does (on Jetty, without a timeout)
			this.writeStartedNanos = System.nanoTime();
		}
		try {
			this.connection.close((status != null) ? status : CloseStatus.NORMAL);
			this.closeHandedOver = true;
		}
		catch (IOException | RuntimeException ex) {
			this.node.writeFailed(this, ex);
		}
		finally {
			if (blocking) {
				this.writeStartedNanos = 0;
			}
		}
	}

	/**
	 * Record that the peer sent something: any frame proves the connection is alive.
	 * @param data whether it was a text or binary message
	 */
	void received(boolean data) {
		long now = System.nanoTime();
		this.lastReceivedNanos = now;
		this.pingWrittenNanos = 0;
		if (data) {
			this.lastDataNanos = now;
		}
	}

	/**
	 * Ping the peer when due, and close the channel if it left a ping unanswered or
	 * stayed idle too long. Runs on the registry's heartbeat thread only.
	 */
	void heartbeat(long now) {
		int state = this.state.get();
		if (this.connection.blocks() && this.closeRequestedNanos != 0
				&& (now - this.closeRequestedNanos > this.sendTimeLimitNanos || isWriteTooLong(now))) {
			// The starter's transport bounds the close handshake itself. A write that
			// blocks too long after the close was asked for ends now: the close frame
			// cannot overtake it.
			enforceClose();
			return;
		}
		if (state == CLOSED) {
			return;
		}
		// Also here, and while closing: a peer whose output stays full is caught even
		// when nobody sends to it, and the close waiting behind its queue gets a bound
		if (isWriteTooLong(now)) {
			rejectSlowConsumer("Send time limit exceeded",
					"a write took longer than send-time-limit " + this.app.sendTimeLimit());
			if (this.connection.blocks()) {
				// A close frame cannot overtake a blocked write
				enforceClose();
			}
			return;
		}
		if (state != OPEN) {
			return;
		}
		if (this.pingIntervalNanos > 0) {
			long pingWritten = this.pingWrittenNanos;
			if (pingWritten != 0 && now - pingWritten > this.pingIntervalNanos) {
				if (this.node.forceClose(this, CloseStatus.GOING_AWAY.withReason("Ping timeout"))) {
					LocalNode.logger.info("Closing channel " + this + " with 1001: it did not answer a ping"
							+ " within ping-interval " + this.app.pingInterval());
				}
				return;
			}
			if (pingWritten == 0 && now - this.pingQueuedNanos >= this.pingIntervalNanos
					&& now - this.lastReceivedNanos >= this.pingIntervalNanos) {
				this.pingQueuedNanos = now;
				enqueue(Outbound.Ping.INSTANCE, now);
			}
		}
		if (this.idleTimeoutNanos > 0 && now - this.lastDataNanos > this.idleTimeoutNanos) {
			if (this.node.forceClose(this, CloseStatus.GOING_AWAY.withReason("Idle timeout"))) {
				LocalNode.logger.info("Closing channel " + this + " with 1001: it sent no message within"
						+ " idle-timeout " + this.app.idleTimeout());
			}
		}
	}

	@Override
	public String toString() {
		return this.handle.toString();
	}

}
