package dev.websocketstarter.benchmarks.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One client of the relay, served on the relay's selector thread only: its opening
 * handshake, the frames it sends, and what its socket could not take yet.
 * <p>
 * Frames are parsed in place in the relay's shared read buffer; only the start of a frame
 * split across reads is kept, and only a fragmented message is assembled. Nothing else is
 * allocated per connection until it is needed, so an idle connection costs the relay
 * little more than its socket.
 */
final class RelayConnection {

	/** Larger messages are refused with 1009; the load tool sends 100 bytes. */
	static final int MAX_MESSAGE = 64 * 1024;

	/**
	 * A subscriber with more than this unsent is dropped: one that stopped reading would
	 * otherwise grow the relay's heap without bound.
	 */
	static final int MAX_BACKLOG = 1024 * 1024;

	private final NioRelayServer server;

	private final SocketChannel channel;

	private final SelectionKey key;

	private State state = State.HANDSHAKE;

	/** Where this connection is in the relay's subscribers, or -1. */
	int index = -1;

	/** The start of a request or frame that the last read cut off. */
	private byte @Nullable [] pending;

	private int pendingLength;

	/** Bytes the socket could not take when they were sent, oldest first. */
	private @Nullable ArrayDeque<ByteBuffer> backlog;

	private long backlogBytes;

	/** The fragments of a message so far, when its first frame was not final. */
	private byte @Nullable [] message;

	private int messageLength;

	/** The opcode of the message being assembled, or -1. */
	private int messageOpcode = -1;

	RelayConnection(NioRelayServer server, SocketChannel channel, SelectionKey key) {
		this.server = server;
		this.channel = channel;
		this.key = key;
	}

	/**
	 * Read once, then handle whatever complete request or frames there are.
	 * @param buffer the relay's read buffer, larger than a request or frame can be with
	 * what was pending
	 */
	void onReadable(ByteBuffer buffer) {
		if (this.state != State.HANDSHAKE && this.state != State.OPEN) {
			return;
		}
		buffer.clear();
		if (this.pendingLength > 0) {
			buffer.put(this.pending, 0, this.pendingLength);
			this.pendingLength = 0;
		}
		int read;
		try {
			read = this.channel.read(buffer);
		}
		catch (IOException ex) {
			read = -1;
		}
		if (read < 0) {
			close();
			return;
		}
		byte[] bytes = buffer.array();
		int end = buffer.position();
		int offset = 0;
		if (this.state == State.HANDSHAKE) {
			offset = handshake(bytes, end);
		}
		if (this.state == State.OPEN) {
			offset = frames(bytes, offset, end);
			if (this.state == State.OPEN && offset < end) {
				keep(bytes, offset, end);
			}
		}
	}

	/**
	 * Answer the request once it is complete.
	 * @return where the frames after it start
	 */
	private int handshake(byte[] bytes, int end) {
		int headerEnd = Handshake.headerEnd(bytes, end);
		if (headerEnd < 0) {
			if (end >= Handshake.MAX_REQUEST) {
				closeAfter(Handshake.tooLarge().response());
			}
			else {
				keep(bytes, 0, end);
			}
			return end;
		}
		Handshake.Answer answer = this.server.handshake().answer(bytes, headerEnd, NioRelayServer.PATH);
		if (!answer.upgraded()) {
			closeAfter(answer.response());
			return end;
		}
		this.state = State.OPEN;
		if (!send(ByteBuffer.wrap(answer.response()))) {
			close();
			return end;
		}
		// Subscribed only now, so that no frame can go out before the 101
		this.server.subscribe(this);
		return headerEnd;
	}

	/**
	 * Handle the complete frames in {@code bytes[start, end)}.
	 * @return where the first incomplete frame starts
	 */
	private int frames(byte[] bytes, int start, int end) {
		int offset = start;
		while (this.state == State.OPEN && end - offset >= 2) {
			int first = bytes[offset] & 0xFF;
			int second = bytes[offset + 1] & 0xFF;
			// No extension was agreed, so the RSV bits must be 0; and a client masks
			// every
			// frame (section 5.1)
			if ((first & 0x70) != 0 || (second & 0x80) == 0) {
				fail(Frames.PROTOCOL_ERROR);
				break;
			}
			boolean fin = (first & 0x80) != 0;
			int opcode = first & 0x0F;
			long length = second & 0x7F;
			int header = 2;
			if (length == 126) {
				if (end - offset < 4) {
					break;
				}
				length = ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
				header = 4;
			}
			else if (length == 127) {
				if (end - offset < 10) {
					break;
				}
				length = 0;
				for (int i = 2; i < 10; i++) {
					length = (length << 8) | (bytes[offset + i] & 0xFF);
				}
				header = 10;
			}
			if (opcode >= Frames.CLOSE && (!fin || length > 125)) {
				fail(Frames.PROTOCOL_ERROR);
				break;
			}
			// A length with its top bit set is negative here, and just as refused
			if (length < 0 || length > MAX_MESSAGE) {
				fail(Frames.TOO_BIG);
				break;
			}
			int payload = offset + header + 4;
			if (end - payload < length) {
				break;
			}
			Frames.unmask(bytes, offset + header, payload, (int) length);
			frame(fin, opcode, bytes, payload, (int) length);
			offset = payload + (int) length;
		}
		return offset;
	}

	private void frame(boolean fin, int opcode, byte[] bytes, int offset, int length) {
		switch (opcode) {
			case Frames.TEXT, Frames.BINARY -> {
				if (this.messageOpcode >= 0) {
					// A new message before the fragmented one ended
					fail(Frames.PROTOCOL_ERROR);
				}
				else if (fin) {
					this.server.relay(this, opcode, bytes, offset, length);
				}
				else {
					this.messageOpcode = opcode;
					append(bytes, offset, length);
				}
			}
			case Frames.CONTINUATION -> continuation(fin, bytes, offset, length);
			case Frames.CLOSE -> {
				int code = (length >= 2) ? ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF) : Frames.NO_CODE;
				if (length == 1 || (code != Frames.NO_CODE && !Frames.isSendable(code))) {
					fail(Frames.PROTOCOL_ERROR);
				}
				else {
					// Echo the code, as section 5.5.1 suggests, then close the TCP
					// connection first, as the server should
					closeAfter(Frames.close(code));
				}
			}
			case Frames.PING -> {
				if (!send(ByteBuffer.wrap(Frames.server(Frames.PONG, bytes, offset, length)))) {
					close();
				}
			}
			case Frames.PONG -> {
				// The relay sends no pings, and an unsolicited pong needs no answer
			}
			default -> fail(Frames.PROTOCOL_ERROR);
		}
	}

	private void continuation(boolean fin, byte[] bytes, int offset, int length) {
		if (this.messageOpcode < 0) {
			fail(Frames.PROTOCOL_ERROR);
			return;
		}
		if (this.messageLength + length > MAX_MESSAGE) {
			fail(Frames.TOO_BIG);
			return;
		}
		append(bytes, offset, length);
		if (fin) {
			int opcode = this.messageOpcode;
			this.messageOpcode = -1;
			this.server.relay(this, opcode, this.message, 0, this.messageLength);
			this.message = null;
			this.messageLength = 0;
		}
	}

	private void append(byte[] bytes, int offset, int length) {
		if (this.message == null) {
			this.message = new byte[Math.max(length, 1024)];
		}
		else if (this.message.length < this.messageLength + length) {
			this.message = Arrays.copyOf(this.message, Math.max(this.messageLength + length, this.message.length * 2));
		}
		System.arraycopy(bytes, offset, this.message, this.messageLength, length);
		this.messageLength += length;
	}

	private void keep(byte[] bytes, int from, int to) {
		int length = to - from;
		if (this.pending == null || this.pending.length < length) {
			this.pending = new byte[Math.max(length, 256)];
		}
		System.arraycopy(bytes, from, this.pending, 0, length);
		this.pendingLength = length;
	}

	/**
	 * Write what the socket takes now and keep the rest, in order behind anything kept
	 * before.
	 * @param bytes from its position to its limit; when kept, kept as a view, so its
	 * content must not change
	 * @return false when the connection failed or has more than {@link #MAX_BACKLOG}
	 * unsent; the caller then closes it
	 */
	boolean send(ByteBuffer bytes) {
		ArrayDeque<ByteBuffer> queued = this.backlog;
		if (queued == null || queued.isEmpty()) {
			try {
				this.channel.write(bytes);
			}
			catch (IOException ex) {
				return false;
			}
			if (!bytes.hasRemaining()) {
				return true;
			}
			queue(bytes.slice());
			this.key.interestOps(this.key.interestOps() | SelectionKey.OP_WRITE);
			return true;
		}
		queue(bytes.duplicate());
		return this.backlogBytes <= MAX_BACKLOG;
	}

	private void queue(ByteBuffer bytes) {
		if (this.backlog == null) {
			this.backlog = new ArrayDeque<>();
		}
		this.backlog.addLast(bytes);
		this.backlogBytes += bytes.remaining();
	}

	/**
	 * Write what was kept, as much as the socket takes, several buffers a call.
	 */
	void onWritable() {
		ArrayDeque<ByteBuffer> queued = this.backlog;
		if (queued == null) {
			return;
		}
		ByteBuffer[] batch = this.server.batch();
		try {
			while (!queued.isEmpty()) {
				int count = 0;
				for (ByteBuffer bytes : queued) {
					batch[count++] = bytes;
					if (count == batch.length) {
						break;
					}
				}
				this.backlogBytes -= this.channel.write(batch, 0, count);
				boolean full = batch[count - 1].hasRemaining();
				Arrays.fill(batch, 0, count, null);
				while (!queued.isEmpty() && !queued.peekFirst().hasRemaining()) {
					queued.pollFirst();
				}
				if (full) {
					return;
				}
			}
		}
		catch (IOException ex) {
			close();
			return;
		}
		if (this.state == State.CLOSING) {
			close();
		}
		else {
			this.key.interestOps(SelectionKey.OP_READ);
		}
	}

	/**
	 * Fail the connection (section 7.1.7): a close frame with {@code code}, then close.
	 */
	private void fail(int code) {
		closeAfter(Frames.close(code));
	}

	/**
	 * Send {@code last}, read nothing more, and close once it is written.
	 */
	private void closeAfter(byte[] last) {
		this.server.unsubscribe(this);
		this.state = State.CLOSING;
		this.pending = null;
		this.pendingLength = 0;
		this.message = null;
		if (!send(ByteBuffer.wrap(last))) {
			close();
		}
		else if (this.backlog == null || this.backlog.isEmpty()) {
			close();
		}
		else {
			this.key.interestOps(SelectionKey.OP_WRITE);
		}
	}

	/**
	 * Close the socket now, whatever is unsent.
	 */
	void close() {
		if (this.state == State.CLOSED) {
			return;
		}
		this.state = State.CLOSED;
		this.server.unsubscribe(this);
		this.key.cancel();
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closed anyway
		}
		this.backlog = null;
		this.pending = null;
		this.message = null;
	}

	private enum State {

		HANDSHAKE, OPEN, CLOSING, CLOSED

	}

}
