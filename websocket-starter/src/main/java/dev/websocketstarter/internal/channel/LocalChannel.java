package dev.websocketstarter.internal.channel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.SendResult;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A channel held by this node: its connection, subscriptions, bounded outbound queue and
 * liveness.
 * <p>
 * Sending threads only enqueue; the {@link ChannelWriter} drains the queue into the
 * {@link Connection}: the starter's own transport takes the frames without blocking and
 * says when its full output can take more; a container's blocks, and the heartbeat bounds
 * a write that blocks too long, and a close the peer never answers.
 */
final class LocalChannel {

	static final int OPEN = 0;

	static final int CLOSING = 1;

	static final int CLOSED = 2;

	// Updaters rather than atomic objects: 16 bytes less per channel for each
	private static final AtomicIntegerFieldUpdater<LocalChannel> STATE = AtomicIntegerFieldUpdater
		.newUpdater(LocalChannel.class, "state");

	private static final AtomicIntegerFieldUpdater<LocalChannel> CLOSE_NOTIFIED = AtomicIntegerFieldUpdater
		.newUpdater(LocalChannel.class, "closeNotified");

	final Channel handle;

	final String url;

	final AppSettings app;

	final ChannelSubscriptions subscriptions = new ChannelSubscriptions();

	/** The scope the channel's subscriptions are in: its app's. */
	final String scope;

	final ChannelAttributes attributes = new ChannelAttributes();

	/** The name of the authenticated user who opened it, if any. */
	volatile @Nullable String user;

	/** The id of the login session it is bound to, if any. */
	volatile @Nullable String session;

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

	private final long sendTimeLimitNanos;

	private final OutboundQueue queue;

	private final Liveness liveness;

	private final ChannelWriter writer;

	private volatile int state = OPEN;

	private volatile int closeNotified;

	/** What is sent while the channel is greeted, or {@code null}: see {@link #greet}. */
	private volatile @Nullable List<Outbound> held;

	private volatile @Nullable CloseStatus closeStatus;

	LocalChannel(Channel handle, String url, AppSettings app, Connection connection, LocalNode node, Executor writers,
			AppStats stats) {
		this.handle = handle;
		this.url = url;
		this.app = app;
		this.scope = app.subscriptionScope();
		this.connection = connection;
		this.node = node;
		this.stats = stats;
		this.sendTimeLimitNanos = app.sendTimeLimit().toNanos();
		this.queue = new OutboundQueue(app.sendBufferLimit().toBytes(), app.overflow());
		this.writer = new ChannelWriter(this, connection, this.queue, writers, this.sendTimeLimitNanos);
		this.liveness = new Liveness(app.pingInterval().toNanos(), app.idleTimeout().toNanos(),
				app.messageTimeLimit().toNanos(), System.nanoTime());
	}

	boolean isOpen() {
		return this.state == OPEN;
	}

	int state() {
		return this.state;
	}

	long dropped() {
		return this.queue.dropped();
	}

	long queuedBytes() {
		return this.queue.bytes();
	}

	/**
	 * Queue a message, applying the send limits.
	 * @param message the message
	 * @param now {@link System#nanoTime()} as read by the caller, once per multicast
	 */
	SendResult enqueue(Outbound message, long now) {
		List<Outbound> held = this.held;
		if (held != null) {
			synchronized (held) {
				if (this.held == held) {
					if (this.state != OPEN) {
						return SendResult.CLOSED;
					}
					held.add(message);
					return SendResult.QUEUED;
				}
			}
		}
		return offer(message, now);
	}

	private SendResult offer(Outbound message, long now) {
		if (this.state != OPEN) {
			return SendResult.CLOSED;
		}
		if (this.writer.isWriteTooLong(now)) {
			return rejectSlowConsumer("Send time limit exceeded",
					"a write took longer than send-time-limit " + this.app.sendTimeLimit());
		}
		OutboundQueue.Offer offer = this.queue.offer(message);
		if (!offer.queued()) {
			return rejectSlowConsumer("Send buffer limit exceeded", "its peer reads too slowly, more than"
					+ " send-buffer-limit " + this.app.sendBufferLimit() + " is queued");
		}
		if (offer.dropped() > 0) {
			this.stats.dropped(offer.dropped());
			if (offer.firstDrop()) {
				LocalNode.logger.warn("Channel " + this + " reads too slowly: dropping its oldest queued messages"
						+ " (overflow policy drop-oldest, send-buffer-limit " + this.app.sendBufferLimit() + ")");
			}
		}
		this.writer.schedule();
		return SendResult.QUEUED;
	}

	/**
	 * Join a subscription, then make the greeting and queue it: what is sent to the
	 * channel from the moment it joined is held until then, and queued after it.
	 * @param join adds the channel to the subscription's subscribers
	 * @param greeting makes the greeting
	 */
	void greet(Runnable join, Supplier<? extends List<String>> greeting) {
		// One at a time, so a second holds what the first queues after it; locked on
		// the liveness, which nothing else locks, to save a lock object per channel
		synchronized (this.liveness) {
			if (this.held != null) {
				// A greeting that subscribes the channel elsewhere: the first one holds
				join.run();
				offer(greeting.get());
				return;
			}
			List<Outbound> held = new ArrayList<>();
			this.held = held;
			try {
				join.run();
				offer(greeting.get());
			}
			finally {
				synchronized (held) {
					long now = System.nanoTime();
					for (Outbound message : held) {
						offer(message, now);
					}
					this.held = null;
				}
			}
		}
	}

	private void offer(List<String> texts) {
		long now = System.nanoTime();
		for (String text : texts) {
			offer(Outbound.text(text), now);
		}
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

	/**
	 * Ask the writer to close the connection once the queue is written.
	 */
	boolean closeGracefully(CloseStatus status) {
		if (!STATE.compareAndSet(this, OPEN, CLOSING)) {
			return false;
		}
		this.closeStatus = status;
		this.writer.schedule();
		return true;
	}

	/**
	 * Discard the queue and ask the writer to close the connection as soon as it is free.
	 */
	boolean closeNow(CloseStatus status) {
		if (STATE.getAndSet(this, CLOSED) == CLOSED) {
			return false;
		}
		this.closeStatus = status;
		this.queue.clear();
		// The writer may be blocked in a container's write to the peer
		requestedClose();
		this.writer.schedule();
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
		this.state = CLOSED;
		this.queue.clear();
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
	 * connection, asked to close, ended without a close frame (as when aborted after
	 * {@code send-time-limit}) or with the peer's echo of its code, which a container's
	 * layer reports without the reason; else the connection's.
	 * @param reported the status the connection reported
	 */
	CloseStatus closeStatus(CloseStatus reported) {
		CloseStatus sent = this.closeStatus;
		if (sent == null) {
			return reported;
		}
		// The peer's echo may come before the writer saw its close handed over
		return (reported.equalsCode(sent) || (this.closeHandedOver && reported.equalsCode(CloseStatus.NO_CLOSE_FRAME)))
				? sent : reported;
	}

	/**
	 * For a channel whose connection closed while the writer was in a blocking write:
	 * drop the connection if that write has been blocked longer than
	 * {@code send-time-limit}. Runs on the heartbeat thread.
	 * @return whether the channel needs no more checks
	 */
	boolean endBlockedWrite(long now) {
		if (!this.writer.isInBlockingWrite()) {
			return true;
		}
		if (this.writer.isWriteTooLong(now)) {
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

	boolean isInBlockingWrite() {
		return this.writer.isInBlockingWrite();
	}

	boolean notifyClosedOnce() {
		return CLOSE_NOTIFIED.compareAndSet(this, 0, 1);
	}

	/**
	 * The connection's full output can take frames again.
	 */
	void writePossible() {
		this.writer.writePossible();
	}

	/**
	 * A message went to the connection: it counts as sent.
	 */
	void handedOver(Outbound message) {
		if (message == Outbound.Ping.INSTANCE) {
			this.liveness.pingWritten(System.nanoTime());
		}
		else {
			this.stats.sent(message.size());
		}
	}

	/**
	 * The writer is about to close the connection.
	 * @return the status to close with
	 */
	CloseStatus closeRequested() {
		requestedClose();
		CloseStatus status = this.closeStatus;
		return (status != null) ? status : CloseStatus.NORMAL;
	}

	void closeHandedOver() {
		this.closeHandedOver = true;
	}

	void writeFailed(Throwable failure) {
		this.node.writeFailed(this, failure);
	}

	/**
	 * Record that the peer sent something: any frame proves the connection is alive.
	 * @param data whether it was a text or binary message
	 */
	void received(boolean data) {
		this.liveness.received(data, System.nanoTime());
	}

	void messageStarted() {
		this.liveness.messageStarted(System.nanoTime());
	}

	/**
	 * Ping the peer when due, and close the channel if it left a ping unanswered or
	 * stayed idle too long. Runs on the registry's heartbeat thread only.
	 */
	void heartbeat(long now) {
		int state = this.state;
		if (this.connection.blocks() && this.closeRequestedNanos != 0
				&& (now - this.closeRequestedNanos > this.sendTimeLimitNanos || this.writer.isWriteTooLong(now))) {
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
		if (this.writer.isWriteTooLong(now)) {
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
		switch (this.liveness.check(now)) {
			case PING -> enqueue(Outbound.Ping.INSTANCE, now);
			case PING_TIMEOUT -> {
				if (this.node.forceClose(this, CloseStatus.GOING_AWAY.withReason("Ping timeout"))) {
					LocalNode.logger.info("Closing channel " + this + " with 1001: it did not answer a ping"
							+ " within ping-interval " + this.app.pingInterval());
				}
			}
			case IDLE_TIMEOUT -> {
				if (this.node.forceClose(this, CloseStatus.GOING_AWAY.withReason("Idle timeout"))) {
					LocalNode.logger.info("Closing channel " + this + " with 1001: it sent no message within"
							+ " idle-timeout " + this.app.idleTimeout());
				}
			}
			case MESSAGE_TIMEOUT -> {
				if (this.node.forceClose(this, CloseStatus.POLICY_VIOLATION.withReason("Message too slow"))) {
					LocalNode.logger.info("Closing channel " + this + " with 1008: a message it began did not"
							+ " end within message-time-limit " + this.app.messageTimeLimit());
				}
			}
			case NONE -> {
			}
		}
	}

	@Override
	public String toString() {
		return this.handle.toString();
	}

}
