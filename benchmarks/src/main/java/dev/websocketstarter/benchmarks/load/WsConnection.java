package dev.websocketstarter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.codec.Frame;

/**
 * A client connection: the HTTP upgrade, for STOMP the CONNECT and SUBSCRIBE, then
 * frames. Server frames are parsed in place from the loop's buffer (no copy, no decoding
 * beyond the payload's run, sequence and times); only a frame split across reads is kept.
 */
public final class WsConnection {

	private static final byte[] STOMP_CONNECT = Target
		.masked(Frame.text("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n\0"));

	private static final byte[] STOMP_SUBSCRIBE = Target
		.masked(Frame.text("SUBSCRIBE\nid:sub-0\ndestination:/topic/bench\n\n\0"));

	private final SocketChannel channel;

	private final boolean stomp;

	private final Events events;

	private volatile DeliverySink sink = DeliverySink.NONE;

	private volatile State state = State.UPGRADING;

	/** Messages received once ready, of any content; written by the I/O thread only. */
	private volatile long messages;

	/** The bytes of those messages. */
	private volatile long bytes;

	private byte[] pending = new byte[0];

	private int pendingLength;

	private WsConnection(SocketChannel channel, boolean stomp, Events events) {
		this.channel = channel;
		this.stomp = stomp;
		this.events = events;
	}

	/**
	 * Connect and send the upgrade request; the loop reads the answer.
	 */
	static WsConnection open(InetSocketAddress address, Target target, String path, boolean offerCompression,
			IoLoop loop, Events events) throws IOException {
		SocketChannel channel = SocketChannel.open();
		try {
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			channel.connect(address);
			channel.write(ByteBuffer.wrap(upgradeRequest(address, target, path, offerCompression)));
			channel.configureBlocking(false);
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		WsConnection connection = new WsConnection(channel, target.stomp(), events);
		loop.register(connection);
		return connection;
	}

	/**
	 * The upgrade request of a connection.
	 * @param path the path and query to ask for, such as {@link Target#path()}
	 * @param offerCompression whether to offer permessage-deflate as browsers do; only
	 * for connections that stay idle, as the load tool reads no compressed frames
	 */
	static byte[] upgradeRequest(InetSocketAddress address, Target target, String path, boolean offerCompression) {
		String protocol = target.stomp() ? "Sec-WebSocket-Protocol: v12.stomp\r\n" : "";
		if (offerCompression) {
			protocol += "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
		}
		return ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n" + protocol + "\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	SocketChannel channel() {
		return this.channel;
	}

	boolean isReady() {
		return this.state == State.READY;
	}

	void sink(DeliverySink sink) {
		this.sink = sink;
	}

	void onReadable(ByteBuffer buffer) {
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
			lost();
			return;
		}
		byte[] bytes = buffer.array();
		int end = buffer.position();
		int offset = 0;
		if (this.state == State.UPGRADING) {
			offset = upgrade(bytes, end);
			if (offset < 0) {
				keep(bytes, 0, end);
				return;
			}
		}
		offset = frames(bytes, offset, end);
		if (offset < end && this.state != State.CLOSED) {
			if (end - offset >= IoLoop.BUFFER_SIZE / 2) {
				failed("frame larger than the read buffer");
				return;
			}
			keep(bytes, offset, end);
		}
	}

	private void keep(byte[] bytes, int from, int to) {
		int length = to - from;
		if (this.pending.length < length) {
			this.pending = new byte[Math.max(length, 256)];
		}
		System.arraycopy(bytes, from, this.pending, 0, length);
		this.pendingLength = length;
	}

	/**
	 * Read the handshake response.
	 * @return where the frames start, or -1 while the response headers are incomplete
	 */
	private int upgrade(byte[] bytes, int end) {
		for (int i = 3; i < end; i++) {
			if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
				String status = new String(bytes, 0, Math.min(12, end), StandardCharsets.US_ASCII);
				if (!status.equals("HTTP/1.1 101")) {
					failed(new String(bytes, 0, Math.min(i, 80), StandardCharsets.US_ASCII).lines()
						.findFirst()
						.orElse(""));
					return end;
				}
				if (this.stomp) {
					this.state = State.STOMP_CONNECTING;
					write(STOMP_CONNECT);
				}
				else {
					this.state = State.READY;
					this.events.ready(this);
				}
				return i + 1;
			}
		}
		return -1;
	}

	private int frames(byte[] bytes, int start, int end) {
		int offset = start;
		while (end - offset >= 2 && this.state != State.CLOSED) {
			int opcode = bytes[offset] & 0x0F;
			int length = bytes[offset + 1] & 0x7F;
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
				long longLength = 0;
				for (int i = 2; i < 10; i++) {
					longLength = (longLength << 8) | (bytes[offset + i] & 0xFF);
				}
				if (longLength > IoLoop.BUFFER_SIZE / 2) {
					failed("frame larger than the read buffer");
					return end;
				}
				length = (int) longLength;
				header = 10;
			}
			if (end - offset - header < length) {
				break;
			}
			frame(opcode, bytes, offset + header, length);
			offset += header + length;
		}
		return offset;
	}

	private void frame(int opcode, byte[] bytes, int offset, int length) {
		switch (opcode) {
			case 0, 1, 2 -> message(bytes, offset, offset + length);
			case 8 -> {
				this.state = State.CLOSED;
				this.events.closedByServer(this);
				abort();
			}
			case 9 -> {
				byte[] payload = new byte[length];
				System.arraycopy(bytes, offset, payload, 0, length);
				write(Target.masked(Frame.pong(payload)));
			}
			default -> {
				// Pong or reserved: nothing to do
			}
		}
	}

	/**
	 * The messages this connection received once it was ready, whatever they held.
	 * @return the count
	 */
	public long messages() {
		return this.messages;
	}

	/**
	 * The bytes of the messages this connection received once it was ready.
	 * @return the count
	 */
	public long bytes() {
		return this.bytes;
	}

	private void message(byte[] bytes, int offset, int end) {
		if (this.state == State.READY) {
			this.messages++;
			this.bytes += end - offset;
			int body = this.stomp ? stompBody(bytes, offset, end) : offset;
			if (body >= 0 && body < end && bytes[body] == '{') {
				body = envelopeData(bytes, body, end);
			}
			if (body >= 0 && Payload.isAt(bytes, body, end)) {
				this.sink.delivered(Payload.run(bytes, body), Payload.sequence(bytes, body),
						Payload.intendedNanos(bytes, body), Payload.sentNanos(bytes, body), System.nanoTime());
			}
		}
		else if (this.state == State.STOMP_CONNECTING && startsWith(bytes, offset, end, "CONNECTED")) {
			// The simple broker sends no RECEIPT for a SUBSCRIBE: the load tool waits a
			// moment after opening instead
			write(STOMP_SUBSCRIBE);
			this.state = State.READY;
			this.events.ready(this);
		}
		else if (startsWith(bytes, offset, end, "ERROR")) {
			failed(new String(bytes, offset, Math.min(end - offset, 200), StandardCharsets.UTF_8));
		}
	}

	private static final String DATA = "\"data\":\"";

	private static int stompBody(byte[] bytes, int offset, int end) {
		for (int i = offset + 1; i < end; i++) {
			if (bytes[i] == '\n' && bytes[i - 1] == '\n') {
				return i + 1;
			}
		}
		return -1;
	}

	/**
	 * Where the payload starts in a starter's {@code pub} frame of a subscription with
	 * history: after {@code "data":"}; the benchmark's payload needs no escaping.
	 */
	private static int envelopeData(byte[] bytes, int offset, int end) {
		for (int i = offset; i < end - DATA.length(); i++) {
			if (bytes[i] == '"' && startsWith(bytes, i, end, DATA)) {
				return i + DATA.length();
			}
		}
		return -1;
	}

	private static boolean startsWith(byte[] bytes, int offset, int end, String prefix) {
		if (end - offset < prefix.length()) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			if (bytes[offset + i] != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private void write(byte[] frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame);
		long deadline = System.nanoTime() + 1_000_000_000L;
		try {
			while (buffer.hasRemaining() && System.nanoTime() < deadline) {
				if (this.channel.write(buffer) == 0) {
					Thread.onSpinWait();
				}
			}
		}
		catch (IOException ex) {
			lost();
		}
	}

	void failed(String reason) {
		if (this.state != State.CLOSED) {
			this.state = State.CLOSED;
			this.events.failed(this, reason);
			abort();
		}
	}

	private void lost() {
		if (this.state != State.CLOSED) {
			boolean wasReady = this.state == State.READY;
			this.state = State.CLOSED;
			if (wasReady) {
				this.events.closedByServer(this);
			}
			else {
				this.events.failed(this, "connection closed during the handshake");
			}
		}
		abort();
	}

	/**
	 * Close with a reset, leaving no TIME_WAIT behind to use up local ports.
	 */
	void abort() {
		this.state = State.CLOSED;
		try {
			this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException | RuntimeException ex) {
			// Closed already
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closed anyway
		}
	}

	private enum State {

		UPGRADING, STOMP_CONNECTING, READY, CLOSED

	}

	interface Events {

		void ready(WsConnection connection);

		void failed(WsConnection connection, String reason);

		void closedByServer(WsConnection connection);

	}

}
