package dev.websocketstarter.test.channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.FrameSource;
import dev.websocketstarter.internal.transport.OutboundFrame;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * One channel opened in-process by a {@link ChannelTester}: push messages into it as its
 * client would, and see what the handler sent back to it. What the node writes lands here
 * at once, in order; no socket, no port.
 */
public final class TestChannel {

	private final Object lock = new Object();

	private final List<String> texts = new ArrayList<>();

	private final List<byte[]> binaries = new ArrayList<>();

	private final Duration timeout;

	private final ChannelRegistry registry;

	private final InMemoryConnection connection = new InMemoryConnection();

	private @Nullable ConnectionHandler events;

	private @Nullable Channel channel;

	private @Nullable CloseStatus closeStatus;

	TestChannel(Duration timeout, ChannelRegistry registry) {
		this.timeout = timeout;
		this.registry = registry;
	}

	Connection connection() {
		return this.connection;
	}

	void opened(ConnectionHandler events, Channel channel) {
		this.events = events;
		this.channel = channel;
	}

	/**
	 * The channel's handle, as the handler saw it in {@code onOpen}.
	 * @return the handle
	 */
	public Channel channel() {
		if (this.channel == null) {
			throw new IllegalStateException("The channel is not open");
		}
		return this.channel;
	}

	/**
	 * Push a text message into the channel, as its client would send it; the handler's
	 * {@code onText} has returned when this does.
	 * @param text the message
	 * @return this channel
	 */
	public TestChannel sendText(String text) {
		events().onText(text, text.getBytes(StandardCharsets.UTF_8).length);
		return this;
	}

	/**
	 * Push a binary message into the channel; the handler's {@code onBinary} has returned
	 * when this does.
	 * @param data the message
	 * @return this channel
	 */
	public TestChannel sendBinary(byte[] data) {
		events().onBinary(data.clone());
		return this;
	}

	/**
	 * Close the channel as its client would, with a close frame.
	 * @param status the code and reason
	 */
	public void close(CloseStatus status) {
		events().onClosed(status);
	}

	private ConnectionHandler events() {
		if (this.events == null) {
			throw new IllegalStateException("The channel is not open");
		}
		return this.events;
	}

	/**
	 * The text messages written to the channel so far, in order.
	 * @return a snapshot
	 */
	public List<String> texts() {
		synchronized (this.lock) {
			return List.copyOf(this.texts);
		}
	}

	/**
	 * The binary messages written to the channel so far, in order.
	 * @return a snapshot
	 */
	public List<byte[]> binaries() {
		synchronized (this.lock) {
			return List.copyOf(this.binaries);
		}
	}

	/**
	 * Wait for a text message written to the channel that matches, however it got there
	 * (a send, a multicast, a greeting).
	 * @param matching what it must be
	 * @param description what is expected, for the failure message
	 * @return the text
	 * @throws AssertionError if none comes within the timeout, listing what came
	 */
	public String awaitText(Predicate<String> matching, String description) {
		String[] found = new String[1];
		await(() -> {
			for (String text : this.texts) {
				if (matching.test(text)) {
					found[0] = text;
					return true;
				}
			}
			return false;
		}, description);
		return found[0];
	}

	/**
	 * Wait for a text message with exactly this text.
	 * @param text the text
	 * @return the text
	 */
	public String awaitText(String text) {
		return awaitText(text::equals, "text \"" + text + "\"");
	}

	/**
	 * Wait for the channel to be closed, by the handler or the node.
	 * @return the close code and reason written
	 */
	public CloseStatus awaitClose() {
		await(() -> this.closeStatus != null, "the close");
		synchronized (this.lock) {
			return java.util.Objects.requireNonNull(this.closeStatus);
		}
	}

	/**
	 * The subscriptions of the channel now.
	 * @return the subscriptions
	 */
	public Set<String> subscriptions() {
		return this.registry.subscriptions(channel());
	}

	/**
	 * Whether the channel is open: not closed, not closing.
	 * @return {@code true} while open
	 */
	public boolean isOpen() {
		return this.registry.isOpen(channel());
	}

	private void await(java.util.function.BooleanSupplier condition, String expected) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		synchronized (this.lock) {
			try {
				while (!condition.getAsBoolean()) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						throw new AssertionError(
								"Expected within " + this.timeout.toMillis() + " ms on channel " + this.channel + ": "
										+ expected + "; it was written " + this.texts.size() + " texts " + this.texts
										+ ((this.closeStatus != null) ? " and closed with " + this.closeStatus : ""));
					}
					TimeUnit.NANOSECONDS.timedWait(this.lock, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + expected, ex);
			}
		}
	}

	/**
	 * The channel's connection: frames written land in the lists at once; a close is
	 * answered at once, as a client that echoes it.
	 */
	private final class InMemoryConnection implements Connection {

		private volatile boolean open = true;

		@Override
		public boolean write(FrameSource frames) {
			for (OutboundFrame frame = frames.next(); frame != null; frame = frames.next()) {
				ByteBuffer payload = frame.payload();
				byte[] bytes = new byte[payload.remaining()];
				payload.get(bytes);
				synchronized (TestChannel.this.lock) {
					if (frame.opcode() == 0x1) {
						TestChannel.this.texts.add(new String(bytes, StandardCharsets.UTF_8));
					}
					else if (frame.opcode() == 0x2) {
						TestChannel.this.binaries.add(bytes);
					}
					TestChannel.this.lock.notifyAll();
				}
			}
			return true;
		}

		@Override
		public boolean blocks() {
			return true;
		}

		@Override
		public void close(CloseStatus status) throws IOException {
			if (this.open) {
				this.open = false;
				synchronized (TestChannel.this.lock) {
					TestChannel.this.closeStatus = status;
					TestChannel.this.lock.notifyAll();
				}
				events().onClosed(status);
			}
		}

		@Override
		public void abort() {
			if (this.open) {
				this.open = false;
				events().onClosed(CloseStatus.NO_CLOSE_FRAME);
			}
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public @Nullable InetSocketAddress remoteAddress() {
			return new InetSocketAddress("127.0.0.1", 50000);
		}

	}

}
