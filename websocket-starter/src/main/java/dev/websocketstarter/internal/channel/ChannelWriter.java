package dev.websocketstarter.internal.channel;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.websocketstarter.internal.transport.Connection;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Drains a channel's queue into its {@link Connection}: one writer at a time, on the
 * node's writer pool, at most {@value #MAX_BATCH} messages per turn so that one busy
 * channel does not hold a writer thread for long. When the connection's output is full,
 * the writer returns and resumes when the connection says it can take more. Closing goes
 * through the writer too, so a close frame never overtakes queued messages nor races a
 * write.
 */
final class ChannelWriter {

	/**
	 * Messages written between flushes.
	 */
	private static final int MAX_BATCH = 256;

	private final LocalChannel channel;

	private final Connection connection;

	private final OutboundQueue queue;

	private final Executor writers;

	private final long sendTimeLimitNanos;

	private final AtomicBoolean draining = new AtomicBoolean();

	/** The output that was full can take frames again since the writer last started. */
	private volatile boolean writePossible;

	/** Messages written in the current batch; the writer's own. */
	private int batchWritten;

	/**
	 * When the current batch started writing, or the output stopped taking frames; 0
	 * while all is written.
	 */
	private volatile long writeStartedNanos;

	ChannelWriter(LocalChannel channel, Connection connection, OutboundQueue queue, Executor writers,
			long sendTimeLimitNanos) {
		this.channel = channel;
		this.connection = connection;
		this.queue = queue;
		this.writers = writers;
		this.sendTimeLimitNanos = sendTimeLimitNanos;
	}

	/**
	 * Start a writer unless one runs.
	 */
	void schedule() {
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
		schedule();
	}

	/**
	 * Whether the current write, or the wait for a full output, has taken longer than
	 * {@code send-time-limit}.
	 */
	boolean isWriteTooLong(long now) {
		long writeStarted = this.writeStartedNanos;
		return writeStarted != 0 && now - writeStarted > this.sendTimeLimitNanos;
	}

	/**
	 * Whether the writer is in a write to a connection that may block.
	 */
	boolean isInBlockingWrite() {
		return this.connection.blocks() && this.writeStartedNanos != 0;
	}

	private void drain() {
		this.writePossible = false;
		boolean written = true;
		try {
			if (this.channel.state() != LocalChannel.CLOSED) {
				written = writeBatch();
			}
			int state = this.channel.state();
			if (state == LocalChannel.CLOSED || (state == LocalChannel.CLOSING && this.queue.isEmpty() && written)) {
				close();
				return;
			}
		}
		catch (IOException | RuntimeException ex) {
			// Over: no write to wait for
			this.writeStartedNanos = 0;
			this.channel.writeFailed(ex);
			return;
		}
		this.draining.set(false);
		if (!written) {
			// The output calls writePossible() when it drained; it may have done so, or
			// closeNow() may have asked for the close, while this drain still ran
			if (this.writePossible || this.channel.state() == LocalChannel.CLOSED) {
				schedule();
			}
			return;
		}
		if (!this.queue.isEmpty() || this.channel.state() != LocalChannel.OPEN) {
			schedule();
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
			this.channel.handedOver(message);
		}
		return message;
	}

	private void close() {
		CloseStatus status = this.channel.closeRequested();
		boolean blocking = this.connection.blocks();
		if (blocking) {
			// A container's close writes its close frame, and may block on the peer as a
			// write does (on Jetty, without a timeout)
			this.writeStartedNanos = System.nanoTime();
		}
		try {
			this.connection.close(status);
			this.channel.closeHandedOver();
		}
		catch (IOException | RuntimeException ex) {
			this.channel.writeFailed(ex);
		}
		finally {
			if (blocking) {
				this.writeStartedNanos = 0;
			}
		}
	}

}
